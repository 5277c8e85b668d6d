import { randomBytes, randomUUID } from 'node:crypto';
import type { MigrationDriver } from '../../sql-migrations/index.ts';
import type { KeyStore, KeyWrapper, ScopeKey } from '../../../domain/ports/key-store.ts';

interface Row {
  key_id: string;
  scope: string;
  subject_ref: string | null;
  master_key_id: string | null;
  wrapped: Buffer | Uint8Array | null;
  shredded_at: Date | string | null;
}

const COLUMNS = 'key_id, scope, subject_ref, master_key_id, wrapped, shredded_at';

/** A commit that waits for the WAL flush, making every commit before it durable too. */
export async function flushed(db: MigrationDriver): Promise<void> {
  await db.transaction(async (session) => {
    await session.query('SET LOCAL synchronous_commit = on');
    await session.query('SELECT pg_current_xact_id()');
  });
}

export function sqlKeyStore(kind: KeyStore['kind'], db: MigrationDriver, wrapper: KeyWrapper, close: () => Promise<void>, flush?: (db: MigrationDriver) => Promise<void>): KeyStore {
  const open = async (row: Row): Promise<Buffer | null> =>
    row.wrapped === null ? null : wrapper.unwrap(Buffer.from(row.wrapped), row.master_key_id!, row.key_id);

  return {
    kind,
    async keyFor(scope, subjectRef) {
      // One round trip whether the scope is new or not: a key is made and wrapped each time (cheap), and kept only
      // when the scope had none; the first to insert wins and a concurrent caller reads the winner's key.
      const keyId = `k_${randomUUID()}`;
      const bytes = randomBytes(32);
      const { masterKeyId, wrapped } = await wrapper.wrap(bytes, keyId);
      const [row] = await db.query<Row>(
        `WITH made AS (
           INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope) DO NOTHING RETURNING ${COLUMNS})
         SELECT ${COLUMNS} FROM made
         UNION ALL
         SELECT ${COLUMNS} FROM subject_keys WHERE scope = $2 AND NOT EXISTS (SELECT 1 FROM made)`,
        [keyId, scope, subjectRef, masterKeyId, wrapped],
      );
      if (!row) throw new Error(`no key for scope ${scope}`);
      if (row.key_id === keyId) return { id: keyId, bytes };
      const existing = await open(row);
      return existing ? { id: row.key_id, bytes: existing } : null;
    },
    async unwrap(keyIds) {
      const found = new Map<string, Buffer | null>();
      if (keyIds.length === 0) return found;
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE key_id = ANY($1::text[])`, [[...new Set(keyIds)]]);
      for (const row of rows) found.set(row.key_id, await open(row));
      return found;
    },
    async scope(scope) {
      const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE scope = $1`, [scope]);
      return row ? toScopeKey(row) : null;
    },
    async keysOfSubject(subjectRef) {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE subject_ref = $1 ORDER BY created_at, key_id`, [subjectRef]);
      return rows.map(toScopeKey);
    },
    async shred(keyIds, at) {
      if (keyIds.length === 0) return [];
      const rows = await db.query<{ key_id: string }>(
        `UPDATE subject_keys SET wrapped = NULL, master_key_id = NULL, shredded_at = $2
         WHERE key_id = ANY($1::text[]) AND wrapped IS NOT NULL RETURNING key_id`,
        [[...new Set(keyIds)], at],
      );
      await flush?.(db);
      return rows.map((row) => row.key_id).sort();
    },
    async rewrap() {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1`, [wrapper.currentId]);
      let count = 0;
      for (const row of rows) {
        const bytes = await open(row);
        if (!bytes) continue;
        const { masterKeyId, wrapped } = await wrapper.wrap(bytes, row.key_id);
        const updated = await db.query(
          'UPDATE subject_keys SET master_key_id = $2, wrapped = $3 WHERE key_id = $1 AND master_key_id = $4 AND wrapped IS NOT NULL RETURNING key_id',
          [row.key_id, masterKeyId, wrapped, row.master_key_id],
        );
        count += updated.length;
      }
      await flush?.(db);
      return count;
    },
    close,
  };
}

function toScopeKey(row: Row): ScopeKey {
  const at = row.shredded_at;
  return {
    keyId: row.key_id,
    scope: row.scope,
    subjectRef: row.subject_ref,
    masterKeyId: row.master_key_id,
    shreddedAt: at === null ? null : new Date(at).toISOString(),
  };
}
