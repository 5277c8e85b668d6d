import pg from 'pg';
import { withGuardedClient } from '../../pg-client.ts';
import type { SqlDriver, SqlRunner, SqlStatement } from './runner.ts';

function toQuery(statement: SqlStatement): pg.QueryConfig {
  // Statements without values go through the simple protocol, which allows several statements (migrations).
  if (statement.values.length === 0) return { text: statement.text };
  return statement.name ? { name: statement.name, text: statement.text, values: statement.values } : statement;
}

export function pgDriver(pool: pg.Pool, ownsPool: boolean): SqlDriver {
  const runner = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
    async query<Row>(statement: SqlStatement) {
      const result = await client.query(toQuery(statement));
      return result.rows as Row[];
    },
  });
  return {
    ...runner(pool),
    concurrent: true,
    async withSession(work) {
      return withGuardedClient(pool, (client) => work(runner(client as pg.PoolClient)));
    },
    async end() {
      if (ownsPool) await pool.end();
    },
  };
}
