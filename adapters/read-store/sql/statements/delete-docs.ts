import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

/** One statement for every document a batch removes (a projection can retire thousands of work items at once). */
export async function deleteDocs(session: SqlSession, t: Tables, collection: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await session.query(`DELETE FROM ${t.docs} WHERE collection = $1 AND id = ANY($2::text[])`, [collection, ids]);
}
