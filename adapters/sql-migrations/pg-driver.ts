import type pg from 'pg';
import type { MigrationDriver, MigrationSession } from './driver.ts';

function sessionOf(client: pg.ClientBase | pg.Pool): MigrationSession {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as R[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(script);
    },
  };
}

/** A pool (one connection checked out per transaction) or a single client the caller is not using meanwhile. */
export function pgMigrationDriver(target: pg.Pool | pg.ClientBase): MigrationDriver {
  const base = sessionOf(target);
  return {
    ...base,
    async transaction<T>(work: (session: MigrationSession) => Promise<T>): Promise<T> {
      const pooled = 'totalCount' in target;
      const client = pooled ? await (target as pg.Pool).connect() : (target as pg.ClientBase);
      let broken: Error | undefined;
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
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onError);
        if (pooled) (client as pg.PoolClient).release(broken);
      }
    },
  };
}
