import { groupCommit } from '../../group-commit.ts';
import { randomBytesPooled } from '../../random-bytes.ts';
import { insertNewKeys, newKeysJson } from './insert-keys.ts';
import type { MigrationDriver } from '../../sql-migrations/index.ts';
import type { KeyStore, KeyWrapper, NewSubjectKey, ScopeKey } from '../../../domain/ports/key-store.ts';

interface Row {
  key_id: string;
  scope: string;
  subject_ref: string | null;
  master_key_id: string | null;
  wrapped: Buffer | Uint8Array | null;
  shredded_at: Date | string | null;
}

interface KeyRequest {
  scope: string;
  subjectRef: string | null;
}

const COLUMNS = 'key_id, scope, subject_ref, master_key_id, wrapped, shredded_at';

export function sqlKeyStore(kind: KeyStore['kind'], db: MigrationDriver, wrapper: KeyWrapper, close: () => Promise<void>): KeyStore {
  const open = async (row: Row): Promise<Buffer | null> =>
    row.wrapped === null ? null : wrapper.unwrap(Buffer.from(row.wrapped), row.master_key_id!, row.key_id);

  async function draft(scope: string, subjectRef: string | null): Promise<{ key: { id: string; bytes: Buffer }; row: NewSubjectKey }> {
    // 128 random bits, short: the id is in every event it seals (twice when a citizen acted).
    const keyId = `k_${randomBytesPooled(16).toString('base64url')}`;
    const bytes = randomBytesPooled(32);
    const { masterKeyId, wrapped } = await wrapper.wrap(bytes, keyId);
    return { key: { id: keyId, bytes }, row: { keyId, scope, subjectRef, masterKeyId, wrapped } };
  }

  /** Keys made now for the scopes that have none; the existing (winning) row for the others. */
  async function make(requests: readonly KeyRequest[]): Promise<Array<{ id: string; bytes: Buffer } | null>> {
    const scopes = [...new Map(requests.map((request) => [request.scope, request])).values()];
    const fresh = await Promise.all(scopes.map(async ({ scope, subjectRef }) => {
      const { key, row } = await draft(scope, subjectRef);
      return { ...row, bytes: key.bytes };
    }));
    // One round trip whether the scopes are new or not: each key is made and wrapped (cheap) and kept only where its
    // scope had none; the first to insert wins and everyone else reads the winner's key.
    const rows = await db.query<Row>(
      `WITH made AS (${insertNewKeys('$1', 'keep')} RETURNING ${COLUMNS})
       SELECT ${COLUMNS} FROM made
       UNION ALL
       SELECT ${COLUMNS} FROM subject_keys WHERE scope = ANY($2::text[]) AND scope NOT IN (SELECT scope FROM made)`,
      [newKeysJson(fresh), fresh.map((k) => k.scope)],
    );
    const byScope = new Map(rows.map((row) => [row.scope, row]));
    // A key committed by another process after this statement's snapshot was taken stops our insert but is not in
    // its SELECT: a second statement (a new snapshot) reads it.
    const unseen = fresh.filter((k) => !byScope.has(k.scope)).map((k) => k.scope);
    if (unseen.length > 0) {
      for (const row of await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE scope = ANY($1::text[])`, [unseen])) byScope.set(row.scope, row);
    }
    const answers = new Map<string, { id: string; bytes: Buffer } | null>();
    for (const k of fresh) {
      const row = byScope.get(k.scope);
      if (!row) throw new Error(`no key for scope ${k.scope}`);
      if (row.key_id === k.keyId) answers.set(k.scope, { id: k.keyId, bytes: k.bytes });
      else {
        const existing = await open(row);
        answers.set(k.scope, existing ? { id: row.key_id, bytes: existing } : null);
      }
    }
    return requests.map((request) => answers.get(request.scope)!);
  }
  // New cases arrive together under load: their keys go out as one statement while the previous one is in flight.
  const maker = groupCommit<KeyRequest, { id: string; bytes: Buffer } | null>(
    async (request) => (await make([request]))[0]!,
    make,
    { maxInFlight: 2, maxBatch: 200 },
  );

  return {
    kind,
    keyFor: (scope, subjectRef) => maker.submit({ scope, subjectRef }),
    draft,
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
