import type { Checkpoint } from '../../../../domain/events/index.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

/** Read back as text: numeric through a JS number would lose everything past 2^53. */
export async function selectCheckpoint(session: SqlSession, t: Tables, projection: string): Promise<Checkpoint | null> {
  const rows = await session.query<{ commit: string; prepare: string; link: string | null }>(
    `SELECT commit_position::text AS commit, prepare_position::text AS prepare, link FROM ${t.checkpoints} WHERE projection = $1`,
    [projection],
  );
  const row = rows[0];
  if (!row) return null;
  return row.link === null ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : { commit: BigInt(row.commit), prepare: BigInt(row.prepare), link: row.link };
}
