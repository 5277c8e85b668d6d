import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function selectMeta(session: SqlSession, t: Tables, key: string): Promise<Doc | null> {
  const rows = await session.query<{ value: Doc }>(`SELECT value FROM ${t.meta} WHERE key = $1`, [key]);
  return rows[0]?.value ?? null;
}
