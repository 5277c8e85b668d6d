/**
 * Whether an error means a server we depend on (PostgreSQL, Redis) cannot be reached right now, as opposed to a bug
 * or a refusal. Such errors are transient: work waits and retries instead of spending its attempts, and HTTP answers
 * 503 with Retry-After instead of 500. Errors are matched by code and by the few fixed messages the drivers use,
 * following `cause` chains, because the drivers wrap each other (pg-pool, BullMQ over ioredis).
 */

/** Node socket errors that mean "the other end is not there (any more)". */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
 * (starting up or in recovery), 53300 too many connections.
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

const MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  // ioredis, with the offline queue off or after its retries per request.
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
];

function matches(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || PG_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && MESSAGES.some((known) => message.startsWith(known));
}

export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (matches(current)) return true;
    if (current instanceof AggregateError && current.errors.some((inner) => matches(inner))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Thrown where a dependency is known to be down, so callers can tell it from a bug without parsing messages. */
export class DependencyUnavailableError extends Error {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options);
    this.name = 'DependencyUnavailableError';
  }
}
