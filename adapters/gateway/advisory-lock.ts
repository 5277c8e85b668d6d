import type pg from 'pg';

/** Runs `work` on one connection holding a session advisory lock: two gateways starting together would race on CREATE. */
export async function withAdvisoryLock(pool: pg.Pool, name: string, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    await work(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    client.release();
  }
}
