import { FencedWriteError } from '../../fence.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

/** Inside a transaction: a shared lock on the fence row until commit, so a raise waits for this write to land. */
export async function checkFence(session: SqlSession, t: Tables, projection: string, token: number): Promise<void> {
  const rows = await session.query<{ token: string }>(`SELECT token::text AS token FROM ${t.fences} WHERE projection = $1 FOR SHARE`, [projection]);
  const current = rows[0] ? Number(rows[0].token) : null;
  if (current !== null && current > token) throw new FencedWriteError(projection, token, current);
}

/** Takes the row's exclusive lock, so it waits for every write still holding the shared one. */
export async function raiseFence(session: SqlSession, t: Tables, projection: string, token: number): Promise<void> {
  const rows = await session.query<{ token: string }>(
    `INSERT INTO ${t.fences} AS f (projection, token) VALUES ($1, $2) ON CONFLICT (projection)
     DO UPDATE SET token = EXCLUDED.token, updated_at = now() WHERE f.token <= EXCLUDED.token
     RETURNING token::text AS token`,
    [projection, token],
  );
  if (rows.length === 0) {
    const current = await selectFence(session, t, projection);
    throw new FencedWriteError(projection, token, current ?? token);
  }
}

export async function selectFence(session: SqlSession, t: Tables, projection: string): Promise<number | null> {
  const rows = await session.query<{ token: string }>(`SELECT token::text AS token FROM ${t.fences} WHERE projection = $1`, [projection]);
  return rows[0] ? Number(rows[0].token) : null;
}
