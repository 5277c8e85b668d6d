import pg from 'pg';

/** The PostgreSQL server's wall clock (clock_timestamp(), not the transaction's start), ms since the epoch. */
export async function postgresServerTime(connectionString: string): Promise<number> {
  // Bounded like every other connection (30 s): a server that accepts and never answers must not hang the start.
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 30_000, query_timeout: 30_000 });
  // A connection that breaks between queries must fail this call, not end the process with an unhandled 'error'.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
    return Number(rows[0]!.ms);
  } finally {
    await client.end().catch(() => undefined);
  }
}
