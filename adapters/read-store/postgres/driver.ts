import type pg from 'pg';
import type { SqlDriver, SqlSession } from '../sql/driver.ts';
import { inPgTransaction } from '../../pg-client.ts';

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
    transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
      return inPgTransaction(pool, (client) => work(sessionOf(client as pg.PoolClient)));
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}
