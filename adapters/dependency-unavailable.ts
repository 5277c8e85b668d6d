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
 * (starting up or in recovery).
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03']);
/** 53300 too many connections: the server is there and refuses more, which is load, not an outage. */
const PG_BUSY_CODES = new Set(['53300']);

const MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  // ioredis, with the offline queue off or after its retries per request.
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
];

/**
 * pg-pool's words when a caller waited its whole connectionTimeoutMillis for a free client while every one was
 * checked out (a new connection that does not open fails with "Connection terminated due to connection timeout").
 */
const BUSY_MESSAGES = ['timeout exceeded when trying to connect'];

/**
 * Why a dependency failed a request: 'unreachable' (down, restarting, cut off, silent) or 'busy' (answering, but
 * every connection to it is in use). Both are transient and answered alike (503 with Retry-After), but an operator
 * adds connections or capacity for the one and looks for the outage for the other.
 */
export type DependencyFailure = 'unreachable' | 'busy';

function failureOf(error: unknown): DependencyFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string') {
    if (PG_BUSY_CODES.has(code)) return 'busy';
    if (SOCKET_CODES.has(code) || PG_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unreachable';
  }
  if (name === 'MaxRetriesPerRequestError') return 'unreachable';
  if (typeof message !== 'string') return null;
  if (BUSY_MESSAGES.some((known) => message.startsWith(known))) return 'busy';
  return MESSAGES.some((known) => message.startsWith(known)) ? 'unreachable' : null;
}

/** Why `error` means a dependency cannot serve right now, following `cause` chains; null when it does not. */
export function dependencyFailure(error: unknown): DependencyFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const failure = failureOf(current);
    if (failure) return failure;
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const found = failureOf(inner);
        if (found) return found;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function isDependencyUnavailable(error: unknown): boolean {
  return dependencyFailure(error) !== null;
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
