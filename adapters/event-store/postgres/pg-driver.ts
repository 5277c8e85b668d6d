import pg from 'pg';
import type { SqlDriver, SqlRunner, SqlStatement } from './runner.ts';

function toQuery(statement: SqlStatement): pg.QueryConfig {
  // Statements without values go through the simple protocol, which allows several statements (migrations).
  if (statement.values.length === 0) return { text: statement.text };
  return statement.name ? { name: statement.name, text: statement.text, values: statement.values } : statement;
}

/**
 * pg-pool stops listening for a client's 'error' while it is checked out; a server restart (57P01) or a reset
 * socket arriving between two queries would then be an unhandled 'error' event and end the process. The query in
 * flight (or the next one) fails instead, and release(error) discards the connection.
 */
async function checkout(pool: pg.Pool): Promise<{ client: pg.PoolClient; release(): void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  return {
    client,
    release() {
      client.removeListener('error', onError);
      client.release(lost);
    },
  };
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
      const { client, release } = await checkout(pool);
      try {
        return await work(runner(client));
      } finally {
        release();
      }
    },
    async end() {
      if (ownsPool) await pool.end();
    },
  };
}
