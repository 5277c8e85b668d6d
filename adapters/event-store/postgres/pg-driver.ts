import pg from 'pg';
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
      const client = await pool.connect();
      try {
        return await work(runner(client));
      } finally {
        client.release();
      }
    },
    async end() {
      if (ownsPool) await pool.end();
    },
  };
}
