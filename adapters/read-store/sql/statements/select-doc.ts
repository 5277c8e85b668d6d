import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function selectDoc(session: SqlSession, t: Tables, collection: string, id: string): Promise<Doc | null> {
  const rows = await session.query<{ doc: Doc }>(`SELECT doc FROM ${t.docs} WHERE collection = $1 AND id = $2`, [collection, id]);
  return rows[0]?.doc ?? null;
}
