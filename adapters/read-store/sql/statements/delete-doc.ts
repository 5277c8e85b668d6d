import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function deleteDoc(session: SqlSession, t: Tables, collection: string, id: string): Promise<void> {
  await session.query(`DELETE FROM ${t.docs} WHERE collection = $1 AND id = $2`, [collection, id]);
}
