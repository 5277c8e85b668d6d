import pg from 'pg';

/**
 * Without a bound, pg waits for ever: for a server that accepts the TCP connection and never answers (or for SYNs the
 * kernel drops while the listen queue is full), and, in pg-pool, for a free client while every one is checked out.
 * The process then hangs with nothing in its logs. pg-pool's connectionTimeoutMillis bounds both waits (a new
 * client's connect and startup, and a caller's wait in the pool's queue), but not a query once it has a client.
 * Generous, because CI runs many processes on two loaded cores: this is for "never", not for "slow".
 */
export const PG_CONNECT_TIMEOUT_MS = 30_000;

export interface PgPoolOptions {
  connectionString?: string;
  max: number;
  /**
   * Which part of Errand holds the connection, in pg_stat_activity, so an operator can tell who holds a lock or a
   * slot. Sent only when neither the connection string nor PGAPPNAME names the application, which then win.
   */
  applicationName: string;
  /** How long opening a connection, or waiting for a free one in the pool, may take before it fails. */
  connectTimeoutMs?: number;
}

/** Every pg.Pool Errand makes itself goes through here; pools that callers pass in are theirs. */
export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS,
    fallback_application_name: options.applicationName,
  });
  // An idle client losing its server must not crash the process (pg-pool re-emits its 'error' on the pool); the next
  // query reports the outage instead.
  pool.on('error', () => undefined);
  return pool;
}
