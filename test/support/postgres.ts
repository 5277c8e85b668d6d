import pg from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A pool for a test to own. pg-pool's `end()` resolves once it has asked its idle clients to end, not once their
 * sessions are gone; a client whose session is then ended by the server (a forced DROP DATABASE, a terminated
 * backend) still reports that on the pool, and a pool without an 'error' listener throws it out of the process as an
 * uncaught exception, failing whichever test happens to be running.
 */
export function testPool(connectionString: string, options: Omit<pg.PoolConfig, 'connectionString'> = {}): pg.Pool {
  const pool = new pg.Pool({ ...options, connectionString });
  pool.on('error', () => undefined);
  return pool;
}

/** How long drop() lets the suite's own sessions finish closing before it ends the rest (a failed test's leftovers). */
const SESSIONS_CLOSING_MS = 5_000;

/** A fresh database per suite, so parallel runs and suites never see each other's rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `errand_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        // Sessions a suite has just ended may still be on their way out; ending them by force now is what made a
        // closed pool report "terminating connection due to administrator command" after its test had passed.
        const deadline = Date.now() + SESSIONS_CLOSING_MS;
        while (Date.now() < deadline) {
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
