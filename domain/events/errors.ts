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

/**
 * The log no longer holds the event a reader's checkpoint was taken at (a restore from an older backup, a failover
 * that lost commits): resuming after it would skip whatever now stands at the lost positions.
 */
export class LogRewoundError extends Error {
  readonly code = 'LOG_REWOUND';
  constructor(readonly detail: string) {
    super(`checkpoint is not in this log any more: ${detail}`);
    this.name = 'LogRewoundError';
  }
}

export function isLogRewound(error: unknown): error is LogRewoundError {
  return error instanceof Error && (error as { code?: unknown }).code === 'LOG_REWOUND';
}
