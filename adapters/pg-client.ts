import type pg from 'pg';

/**
 * One way to hold a PostgreSQL connection, for every store. pg-pool stops listening for a client's 'error' while it
 * is checked out; a server restart (57P01) or a reset socket arriving between two queries would then be an
 * unhandled 'error' event that ends the process. Here the query in flight (or the next one) fails instead, and a
 * connection that saw an error, or whose ROLLBACK failed, is handed back destroyed rather than to the next caller.
 */
export async function withGuardedClient<T>(target: pg.Pool | pg.ClientBase, work: (client: pg.ClientBase, fail: (error: Error) => void) => Promise<T>): Promise<T> {
  const pooled = 'totalCount' in target;
  const client = pooled ? await (target as pg.Pool).connect() : (target as pg.ClientBase);
  let broken: Error | undefined;
  const fail = (error: Error) => {
    broken = error;
  };
  client.on('error', fail);
  try {
    return await work(client, fail);
  } finally {
    client.removeListener('error', fail);
    if (pooled) (client as pg.PoolClient).release(broken);
  }
}

/** `work` inside BEGIN ... COMMIT on a guarded connection; ROLLBACK on any failure. */
export function inPgTransaction<T>(target: pg.Pool | pg.ClientBase, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  return withGuardedClient(target, async (client, fail) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => fail(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))));
      throw error;
    }
  });
}
