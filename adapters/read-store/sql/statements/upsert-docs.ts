import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

/**
 * Every document in one statement: the batch travels as a single JSON text and jsonb_to_recordset unpacks it server
 * side. Parsing the batch once as jsonb is cheaper than json_to_recordset, which parses each document's text a second
 * time to make its jsonb (measured: a quarter less time per 3 KB case view). Repeated ids are collapsed first (last
 * wins) because ON CONFLICT cannot touch one row twice in a statement.
 */
export async function upsertDocs(session: SqlSession, t: Tables, collection: string, docs: Array<{ id: string; doc: Doc }>): Promise<void> {
  if (docs.length === 0) return;
  const latest = new Map<string, Doc>();
  for (const { id, doc } of docs) latest.set(id, doc);
  const rows = [...latest].map(([id, doc]) => ({ id, doc }));
  await session.query(
    `INSERT INTO ${t.docs} (collection, id, doc)
     SELECT $1, r.id, r.doc FROM jsonb_to_recordset($2::jsonb) AS r(id text, doc jsonb)
     ON CONFLICT (collection, id) DO UPDATE SET doc = EXCLUDED.doc`,
    [collection, JSON.stringify(rows)],
  );
}
