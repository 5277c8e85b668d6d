import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

/** Ids travel as one JSON array: both pg and PGlite bind it as plain text, whatever the ids contain. */
export async function selectDocs(session: SqlSession, t: Tables, collection: string, ids: string[]): Promise<Map<string, Doc>> {
  const found = new Map<string, Doc>();
  if (ids.length === 0) return found;
  const rows = await session.query<{ id: string; doc: Doc }>(
    `SELECT id, doc FROM ${t.docs}
      WHERE collection = $1 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))`,
    [collection, JSON.stringify([...new Set(ids)])],
  );
  for (const row of rows) found.set(row.id, row.doc);
  return found;
}
