import pg from 'pg';
import { isDependencyUnavailable } from './dependency-unavailable.ts';

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
  /** Settle each new connection's server heap (see SETTLE_HEAP) before its first query. */
  settleHeap?: boolean;
}

/**
 * Run once on each new connection of a pool whose statements are many and alike (the event store's appends). A
 * PostgreSQL backend on glibc starts with malloc's default 128 KiB trim threshold, and an append batch's memory
 * peaks just past it: the backend then grows its heap and gives it back around every statement (a brk each way,
 * page faults on the new pages, a TLB flush on each trim), which cost the appending backend several µs an event in
 * the privacy bench, more for the longer sealed rows, and at random from backend to backend (whether it had ever
 * freed a larger block). glibc raises both its thresholds when a block it mapped for one large allocation is freed
 * (mmap threshold to the block's size, trim threshold to twice that): the 1 MiB value made and dropped here does
 * that, after which the backend keeps up to 2 MiB of free heap rather than churn below it. Elsewhere (another
 * allocator, a backend that did it already) it is a 1 MiB value made and dropped. The setting it leaves,
 * errand.heap_settled, lets an operator (and a test) see it ran on that session. Behind a proxy that hands each
 * transaction to another server connection it settles whichever one served it (README).
 */
export const SETTLE_HEAP = "SELECT set_config('errand.heap_settled', 'on', false), length(repeat('x', 1048576))";

/** Every pg.Pool Errand makes itself goes through here; pools that callers pass in are theirs. */
export function createPgPool(options: PgPoolOptions): pg.Pool {
  const connectTimeoutMs = options.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: connectTimeoutMs,
    fallback_application_name: options.applicationName,
    // Awaited by pg-pool before it hands the new client out (a query queued behind another draws pg's deprecation
    // warning), and within the connect bound: pg-pool's own timer ends when the startup does.
    ...(options.settleHeap ? { onConnect: async (client: pg.ClientBase) => settle(client, connectTimeoutMs) } : {}),
  });
  // An idle client losing its server must not crash the process (pg-pool re-emits its 'error' on the pool); the next
  // query reports the outage instead.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * SETTLE_HEAP on a new client. A server that finished the startup and then answers nothing has the connection cut
 * after `timeoutMs`, as pg-pool cuts a startup that does not finish, and with the same words, so the caller's
 * connect fails as unreachable instead of holding a pool slot for ever. A connection that is gone fails the connect
 * (pg-pool ends the client); any other refusal (a statement_timeout, say) only leaves the backend unsettled.
 */
async function settle(client: pg.ClientBase, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      (client as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      reject(new Error('Connection terminated due to connection timeout while settling the new connection'));
    }, timeoutMs);
  });
  try {
    await Promise.race([client.query(SETTLE_HEAP), silent]);
  } catch (error) {
    if (isDependencyUnavailable(error)) throw error;
  } finally {
    clearTimeout(timer);
  }
}
