import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function deleteCollection(session: SqlSession, t: Tables, collection: string): Promise<void> {
  await session.query(`DELETE FROM ${t.docs} WHERE collection = $1`, [collection]);
}
