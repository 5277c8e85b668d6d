/**
 * Turns whatever a handler throws into a problem. Domain and adapter errors carry a stable `code`; route authors
 * register how each code reads over HTTP once, so no route translates errors by hand and they never drift apart.
 */
import {
  HttpProblem,
  badRequest,
  conflict,
  forbidden,
  internalError,
  notFound,
  payloadTooLarge,
  unprocessable,
  unsupportedMediaType,
} from './problem.ts';
import { dependencyFailure, type DependencyFailure } from '../../adapters/dependency-unavailable.ts';

export type ErrorMapper = (error: Error & Record<string, unknown>) => HttpProblem;

const mappings = new Map<string, ErrorMapper>();

/** Later registrations replace earlier ones, so an app can refine a default mapping. */
export function registerErrorMapping(code: string, mapper: ErrorMapper): void {
  if (!/^[A-Z][A-Z0-9_]*$/.test(code)) throw new RangeError(`error code must be UPPER_SNAKE_CASE, got "${code}"`);
  mappings.set(code, mapper);
}

export function registeredErrorCodes(): string[] {
  return [...mappings.keys()].sort();
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return undefined;
}

function list(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((item) => String(item)) : undefined;
}

/**
 * WRONG_STATE: the domain refuses a command in the case's current state. Read from the error: `state` (current
 * state), `command` (the refused one) and `allowed` or `allowedCommands` (what the state accepts).
 */
registerErrorMapping('WRONG_STATE', (error) => {
  const state = text(error.state);
  const command = text(error.command);
  const allowed = list(error.allowed) ?? list(error.allowedCommands) ?? [];
  const subject = command ? `command "${command}" is not allowed` : 'this command is not allowed';
  const where = state ? ` while the case is in state "${state}"` : ' in the case\'s current state';
  const options = allowed.length > 0 ? `; allowed now: ${allowed.join(', ')}` : '; no command is allowed now';
  return conflict(`${subject}${where}${options}`, {
    slug: 'wrong-state',
    title: 'Command not allowed in this state',
    extensions: { ...(state ? { state } : {}), ...(command ? { command } : {}), allowedCommands: allowed },
  });
});

/** WRONG_EXPECTED_VERSION: the client's If-Match revision is stale; it must reload before deciding again. */
registerErrorMapping('WRONG_EXPECTED_VERSION', (error) => {
  const expected = text(error.expected);
  const actual = typeof error.actual === 'bigint' && error.actual >= 0n ? error.actual.toString() : undefined;
  const detail = actual
    ? `the case is at revision ${actual}, not ${expected ?? 'the one sent'}; reload it and try again`
    : 'the case does not exist at the expected revision; reload it and try again';
  return conflict(detail, {
    slug: 'stale-revision',
    title: 'Stale revision',
    extensions: { ...(expected ? { expectedRevision: expected } : {}), ...(actual ? { currentRevision: actual } : {}) },
  });
});

registerErrorMapping('INVALID_APPEND', (error) => badRequest(`nothing was recorded: ${error.message}`, { slug: 'invalid-append' }));

// The case domain's other errors (domain/case/errors.ts); their messages are written for callers.
registerErrorMapping('CASE_NOT_FOUND', (error) => notFound(error.message, { slug: 'case-not-found', title: 'Case not found' }));
registerErrorMapping('CASE_EXISTS', (error) => conflict(error.message, { slug: 'case-exists', title: 'Case already exists' }));
registerErrorMapping('UNKNOWN_SERVICE', (error) => notFound(error.message, { slug: 'unknown-service', title: 'Unknown service' }));
registerErrorMapping('FORBIDDEN', (error) => forbidden(error.message, { slug: 'command-forbidden' }));
/** Form problems also come as errors[] naming each field (path, code, bound), so a page can put each beside its field. */
function fieldErrors(issues: unknown, problems: string[]): Array<Record<string, unknown>> {
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    if (!issue || typeof issue !== 'object') return [];
    const { field, code, limit } = issue as Record<string, unknown>;
    if (typeof field !== 'string' || typeof code !== 'string') return [];
    const message = problems.find((p) => p.startsWith(`form.${field} `)) ?? `form.${field} is not valid`;
    return [{ path: `/body/form/${field}`, code, ...(limit === undefined ? {} : { limit }), message }];
  });
}

registerErrorMapping('INVALID_COMMAND', (error) => {
  const problems = list(error.problems) ?? [];
  const errors = fieldErrors(error.fieldIssues, problems);
  return unprocessable(error.message, { slug: 'invalid-command', extensions: { problems, ...(errors.length ? { errors } : {}) } });
});

/** body-parser marks its errors with `type`; these are the client's fault and say so precisely. */
function fromBodyParser(error: Record<string, unknown>): HttpProblem | undefined {
  switch (error.type) {
    case 'entity.parse.failed': {
      const message = typeof error.message === 'string' ? error.message : '';
      const position = /position (\d+)/.exec(message)?.[1];
      return badRequest(
        position === undefined
          ? 'the request body is not valid JSON'
          : `the request body is not valid JSON: syntax error at position ${position}`,
        { slug: 'malformed-json', title: 'Malformed JSON', extensions: position === undefined ? {} : { position: Number(position) } },
      );
    }
    case 'entity.too.large':
      return payloadTooLarge(typeof error.limit === 'number' ? error.limit : 0);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType('the request body must be UTF-8 encoded JSON');
    case 'request.aborted':
      return badRequest('the request body was not received completely', { slug: 'request-aborted' });
    case 'request.size.invalid':
      return badRequest('the request body length does not match Content-Length', { slug: 'request-size-invalid' });
    default:
      return undefined;
  }
}

/**
 * Errors from express itself (a percent-encoding in a path it cannot decode) carry a 4xx `status` and
 * `expose: true`; their messages are written for clients.
 */
function fromExposedHttpError(error: Record<string, unknown>): HttpProblem | undefined {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || error.expose !== true) return undefined;
  return new HttpProblem({
    status,
    slug: 'bad-request',
    title: 'Bad request',
    detail: typeof error.message === 'string' && error.message !== '' ? error.message : 'the request is not valid',
  });
}

export interface MappedError {
  problem: HttpProblem;
  /** True when nothing recognised the error: it is a bug, so it is logged in full (redacted) and answered with 500. */
  unexpected: boolean;
  /**
   * Set when a dependency (PostgreSQL, Redis) could not serve: 'unreachable', or 'busy' when every connection to it
   * was in use. A 503 the client may retry, not a bug.
   */
  unavailable?: DependencyFailure;
}

/** Seconds a client should wait before retrying while a dependency is down: about one reconnect cycle. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The answer while PostgreSQL or Redis cannot serve. A command cut off mid-commit may have been recorded, so the
 * detail does not promise it was not; sending the same request again is safe, commands being idempotent by id.
 * `reason` tells an unreachable service from one whose every connection is in use; the type, status and
 * Retry-After are the same, so clients need not tell them apart.
 */
export function dependencyUnavailable(reason: DependencyFailure = 'unreachable'): HttpProblem {
  return new HttpProblem({
    status: 503,
    slug: 'service-unavailable',
    title: 'Service temporarily unavailable',
    detail:
      reason === 'busy'
        ? 'every connection to a storage service is in use; send the same request again after Retry-After'
        : 'a storage service is temporarily unreachable; send the same request again after Retry-After',
    extensions: { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS, reason },
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  });
}

export function toProblem(error: unknown): MappedError {
  if (error instanceof HttpProblem) return { problem: error, unexpected: false };
  // Before the code lookup: SQLSTATEs and socket codes are not registered codes, and a wrapped one must still map.
  const failure = dependencyFailure(error);
  if (failure) return { problem: dependencyUnavailable(failure), unexpected: false, unavailable: failure };
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const code = record.code;
    if (typeof code === 'string') {
      const mapper = mappings.get(code);
      if (mapper) {
        try {
          return { problem: mapper(error as Error & Record<string, unknown>), unexpected: false };
        } catch {
          return { problem: internalError(), unexpected: true };
        }
      }
    }
    const known = fromBodyParser(record) ?? fromExposedHttpError(record);
    if (known) return { problem: known, unexpected: false };
  }
  return { problem: internalError(), unexpected: true };
}
