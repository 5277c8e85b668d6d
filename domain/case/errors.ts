/** Domain errors carry a stable `code` so the HTTP layer maps them to problem+json without knowing the domain. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class WrongStateError extends DomainError {
  readonly code = 'WRONG_STATE';
  constructor(readonly command: string, readonly state: string, readonly allowed: string[]) {
    super(`${command} is not allowed while the case is ${state}; allowed now: ${allowed.length ? allowed.join(', ') : 'none'}`);
    this.name = 'WrongStateError';
  }
}

export class CaseNotFoundError extends DomainError {
  readonly code = 'CASE_NOT_FOUND';
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
    this.name = 'CaseNotFoundError';
  }
}

export class CaseExistsError extends DomainError {
  readonly code = 'CASE_EXISTS';
  constructor(readonly caseId: string) {
    super(`case ${caseId} already exists`);
    this.name = 'CaseExistsError';
  }
}

export class UnknownServiceError extends DomainError {
  readonly code = 'UNKNOWN_SERVICE';
  constructor(readonly serviceId: string, version?: number) {
    super(version === undefined ? `service "${serviceId}" does not exist` : `service "${serviceId}" has no version ${version}`);
    this.name = 'UnknownServiceError';
  }
}

export class ForbiddenCommandError extends DomainError {
  readonly code = 'FORBIDDEN';
  /**
   * 'stranger': the actor has nothing to do with the case (another citizen, another department), so even saying
   * "forbidden" would confirm the case exists. 'member': the actor belongs to the case but lacks the duty.
   */
  constructor(readonly command: string, reason: string, readonly relation: 'stranger' | 'member' = 'member') {
    super(`${command} is not permitted: ${reason}`);
    this.name = 'ForbiddenCommandError';
  }
}

/** The command is well-formed but its content is wrong for this case (unknown material, missing key upload, ...). */
export class InvalidCommandError extends DomainError {
  readonly code = 'INVALID_COMMAND';
  /** fieldIssues: form problems by field and code, so clients can show each beside its field in their language. */
  constructor(readonly command: string, readonly problems: string[], readonly fieldIssues: ReadonlyArray<{ field: string; code: string; limit?: number | string }> = []) {
    super(`${command} rejected: ${problems.join('; ')}`);
    this.name = 'InvalidCommandError';
  }
}
