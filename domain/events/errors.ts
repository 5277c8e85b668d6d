/** Raised by every event store adapter when an append's expectation does not hold. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly stream: string,
    readonly expected: string,
    /** -1n when the stream does not exist. */
    readonly actual: bigint,
  ) {
    super(`stream "${stream}" expected revision ${expected}, actual ${actual === -1n ? 'no stream' : actual.toString()}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Bad input to the event store: nothing was written. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof Error && (error as { code?: unknown }).code === 'WRONG_EXPECTED_VERSION';
}
