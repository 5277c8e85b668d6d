import pg from 'pg';
import { PG_CONNECT_TIMEOUT_MS } from '../../pg-pool.ts';
import { LEASE_TOKEN_SEQUENCE, migrateLeases } from '../migrations.ts';
import { HeldLease, type LeaseManager } from '../../../domain/ports/lease.ts';

export interface PostgresLeaseOptions {
  connectionString: string;
  /** Keeps pools apart that share one database (default "errand"). */
  namespace?: string;
  /** How often the lease session is checked; a failed check counts as losing every lease (default 1000 ms). */
  heartbeatMs?: number;
  onError?: (error: unknown) => void;
  /** How long opening the lease session may take before it fails (default: the pools' bound, adapters/pg-pool.ts). */
  connectTimeoutMs?: number;
}

/** A positive 31-bit FNV-1a hash: advisory lock keys, and pg_locks shows them as oid, so no sign to juggle. */
export function lockKey(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}

const SEQUENCE = LEASE_TOKEN_SEQUENCE;

/**
 * Leases as PostgreSQL session advisory locks, held on one dedicated connection per process. Why locks rather than a
 * lease table with expiry: the server drops a session's locks the moment the session ends, so a killed worker's
 * leases are free as soon as its socket closes (no expiry to wait out, no clocks to trust, no renewals to write).
 * The fencing token comes from a sequence, drawn after the lock is granted, so a new holder's token is always larger.
 * Membership of the pool is a shared lock every manager holds on one key; counting its holders in pg_locks says how
 * many workers are alive. Needs a direct connection (not a transaction-pooling proxy), since locks live in sessions.
 */
export function createPostgresLeaseManager(options: PostgresLeaseOptions): LeaseManager {
  const namespace = options.namespace ?? 'errand';
  const leaseSpace = lockKey(`errand lease ${namespace}`);
  const memberSpace = lockKey(`errand lease members ${namespace}`);
  const heartbeatMs = options.heartbeatMs ?? 1000;
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;
  const held = new Map<string, HeldLease>();
  // pg wants one query at a time per client: the heartbeat and the keeper's calls take turns.
  let queue: Promise<unknown> = Promise.resolve();
  const run = <R extends pg.QueryResultRow>(session: pg.Client, text: string, params?: unknown[]): Promise<pg.QueryResult<R>> => {
    const result = queue.then(() => session.query<R>(text, params));
    queue = result.catch(() => undefined);
    return result;
  };

  /** Every lease of this session is gone; the next call opens a new session. */
  const loseSession = (dead: pg.Client, error?: unknown) => {
    if (client !== dead) return;
    client = null;
    clearInterval(heartbeat);
    if (error && !closed) options.onError?.(error);
    for (const lease of held.values()) lease.markLost();
    held.clear();
    // Destroying the socket makes sure the server ends the session, and with it the locks, if it is still there.
    dead.end().catch(() => undefined);
  };

  const open = async (): Promise<pg.Client> => {
    if (closed) throw new Error('lease manager is closed');
    if (client) return client;
    connecting ??= (async () => {
      // query_timeout bounds statements, not the connect: a server that accepts and never answers would otherwise hold
      // every lease acquisition, and with it every projection, with nothing in the logs.
      const fresh = new pg.Client({
        connectionString: options.connectionString,
        keepAlive: true,
        query_timeout: Math.max(3000, heartbeatMs * 3),
        connectionTimeoutMillis: options.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS,
        application_name: 'errand-lease',
      });
      fresh.on('error', (error) => loseSession(fresh, error));
      fresh.on('end', () => loseSession(fresh, new Error('lease session ended')));
      await fresh.connect();
      try {
        // The server notices a silently vanished worker within ~15 s and frees its locks.
        await fresh.query('SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 5');
        await migrateLeases(fresh);
        await fresh.query('SELECT pg_advisory_lock_shared($1, 0)', [memberSpace]);
      } catch (error) {
        await fresh.end().catch(() => undefined);
        throw error;
      }
      client = fresh;
      heartbeat = setInterval(() => {
        run(fresh, 'SELECT 1').catch((error: unknown) => loseSession(fresh, error));
      }, heartbeatMs);
      heartbeat.unref();
      return fresh;
    })().finally(() => (connecting = null));
    return connecting;
  };

  const letGo = async (lease: HeldLease) => {
    if (held.get(lease.name) !== lease) return;
    held.delete(lease.name);
    const session = client;
    if (!session) return;
    await run(session, 'SELECT pg_advisory_unlock($1, $2)', [leaseSpace, lockKey(lease.name)]).catch((error: unknown) => loseSession(session, error));
  };

  return {
    kind: 'postgres',
    async members() {
      const session = await open();
      const rows = await run<{ n: number }>(
        session,
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::bigint::oid AND objid = 0
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [memberSpace],
      );
      return rows.rows[0]?.n ?? 1;
    },
    async tryAcquire(name) {
      const existing = held.get(name);
      if (existing?.held()) return null;
      const session = await open();
      const got = await run<{ got: boolean }>(session, 'SELECT pg_try_advisory_lock($1, $2) AS got', [leaseSpace, lockKey(name)]);
      if (!got.rows[0]?.got) return null;
      const token = await run<{ token: string }>(session, `SELECT nextval('${SEQUENCE}')::text AS token`);
      const lease = new HeldLease(name, Number(token.rows[0]!.token), letGo);
      if (client !== session) {
        // The session died between the two statements: the lock went with it.
        lease.markLost();
        return null;
      }
      held.set(name, lease);
      return lease;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      await connecting?.catch(() => undefined);
      const session = client;
      client = null;
      for (const lease of held.values()) lease.markLost();
      held.clear();
      // Ending the session frees every lock it holds, leases and membership alike.
      await session?.end().catch(() => undefined);
    },
  };
}
