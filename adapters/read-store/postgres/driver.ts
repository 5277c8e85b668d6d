import type pg from 'pg';
import type { SqlDriver, SqlSession } from '../sql/driver.ts';

function sessionOf(client: pg.Pool | pg.PoolClient): SqlSession {
  return {
    async query<R>(text: string, params?: unknown[]) {
      const result = await client.query(text, params);
      return result.rows as R[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(script);
    },
  };
}

export function postgresDriver(pool: pg.Pool, ownsPool: boolean): SqlDriver {
  const base = sessionOf(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: unknown;
      // pg-pool stops listening for a checked-out client's 'error'; a server restart between two statements would
      // otherwise be an unhandled 'error' event that ends the process. The next statement fails instead.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is unusable: hand it back destroyed rather than to the next caller.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}
