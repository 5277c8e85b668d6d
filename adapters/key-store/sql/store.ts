import { groupCommit } from '../../group-commit.ts';
import { fillRandom, randomBytesPooled } from '../../random-bytes.ts';
import { keepKey, keySlot } from '../../key-bytes.ts';
import { insertNewKeys, newKeysJson } from './insert-keys.ts';
import type { MigrationDriver } from '../../sql-migrations/index.ts';
import type { DraftedKey, KeyStore, KeyWrapper, ScopeKey } from '../../../domain/ports/key-store.ts';
import { caseOfEvidenceScope, evidenceScope, isCaseRecordsScope } from '../../../domain/privacy/retention.ts';

interface Row {
  key_id: string;
  scope: string;
  subject_ref: string | null;
  master_key_id: string | null;
  wrapped: Buffer | Uint8Array | null;
  shredded_at: Date | string | null;
  evidence_key: boolean;
  evidence_shredded_at: Date | string | null;
}

interface KeyRequest {
  scope: string;
  subjectRef: string | null;
}

type Key = { id: string; bytes: Buffer };

/** A case's keys made ahead of the case: its key id, its records and evidence keys (64 bytes) and them wrapped. */
interface SpareKeys {
  keyId: string;
  bytes: Buffer;
  masterKeyId: string;
  wrapped: Buffer;
}

/** Case keys each process keeps made ahead (see draft); topped up when half are taken. */
const SPARE_CASE_KEYS = 32;
const COLUMNS = 'key_id, scope, subject_ref, master_key_id, wrapped, shredded_at, evidence_key, evidence_shredded_at';
const KEY_BYTES = 32;
/** The id of a case's evidence key: its row's key id and this mark (never in a base64url id, never a dot). */
const EVIDENCE_MARK = '~e';
const baseId = (keyId: string) => (keyId.endsWith(EVIDENCE_MARK) ? keyId.slice(0, -EVIDENCE_MARK.length) : keyId);

/**
 * Subject keys in one SQL table (PostgreSQL or PGlite). A case's records key and its evidence key share a row: the
 * wrapped bytes hold both (64 bytes), the evidence key's id is the row's id with `~e`, and shredding the evidence
 * alone re-wraps the row with the records key only. Rows made before that (a case with a row per key) still answer.
 */
export function sqlKeyStore(kind: KeyStore['kind'], db: MigrationDriver, wrapper: KeyWrapper, close: () => Promise<void>): KeyStore {
  const open = async (row: Row): Promise<Buffer | null> =>
    row.wrapped === null ? null : wrapper.unwrap(Buffer.from(row.wrapped), row.master_key_id!, row.key_id);

  /** The records key of a row (or a row's only key) and, when it has one, its live evidence key. */
  function keysOf(row: Row, bytes: Buffer | null): { main: Key | null; evidence: Key | null } {
    if (bytes === null) return { main: null, evidence: null };
    const main = { id: row.key_id, bytes: keepKey(bytes.subarray(0, KEY_BYTES)) };
    // Shredded is shredded, whatever bytes the row holds: a write that raced the shredding must not bring it back.
    const evidence = row.evidence_key && row.evidence_shredded_at === null && bytes.length >= 2 * KEY_BYTES ? { id: row.key_id + EVIDENCE_MARK, bytes: keepKey(bytes.subarray(KEY_BYTES, 2 * KEY_BYTES)) } : null;
    return { main, evidence };
  }

  // 128 random bits, short: the id is in every event it seals (twice when a citizen acted).
  const newKeyId = () => `k_${randomBytesPooled(16).toString('base64url')}`;

  /** Random key bytes, in memory of their own: they are cached for as long as their case is busy (key-bytes.ts). */
  const newKeyBytes = (size: number) => {
    const bytes = keySlot(size);
    fillRandom(bytes, 0, size);
    return bytes;
  };

  /** A case's records and evidence keys, wrapped together: nothing in them depends on the case. */
  async function caseKeys(): Promise<SpareKeys> {
    const keyId = newKeyId();
    const bytes = newKeyBytes(2 * KEY_BYTES);
    return { keyId, bytes, ...(await wrapper.wrap(bytes, keyId)) };
  }

  /**
   * Case keys made ahead, while this process waits for its statements: a new case then takes a key already wrapped,
   * where making one (random bytes, and a wrap by the master key, a network call with a KMS) was on the path of
   * every case's first append. Topped up in a timer, which runs after the event loop has sent what was ready; a
   * failed wrap is only tried again when a case needs a key.
   */
  const spare: SpareKeys[] = [];
  let toppingUp = false;
  let closed = false;
  const dropSpares = () => {
    for (const keys of spare.splice(0)) keys.bytes.fill(0);
  };
  const topUp = () => {
    if (closed || toppingUp || spare.length >= SPARE_CASE_KEYS / 2) return;
    toppingUp = true;
    setTimeout(() => {
      void (async () => {
        while (!closed && spare.length < SPARE_CASE_KEYS) {
          const keys = await caseKeys();
          if (closed) keys.bytes.fill(0);
          else spare.push(keys);
        }
      })()
        .catch(() => undefined)
        .finally(() => {
          toppingUp = false;
        });
    }, 0).unref();
  };

  function draft(scope: string, subjectRef: string | null): DraftedKey | Promise<DraftedKey> {
    if (!isCaseRecordsScope(scope)) {
      // A native promise whatever promise the wrapper answers with: callers tell the two answers apart by it.
      return (async () => {
        const keyId = newKeyId();
        const bytes = newKeyBytes(KEY_BYTES);
        const { masterKeyId, wrapped } = await wrapper.wrap(bytes, keyId);
        return { key: { id: keyId, bytes }, row: { keyId, scope, subjectRef, masterKeyId, wrapped } };
      })();
    }
    // A wrapper whose current master key changed (a KMS rotating in place) makes the spares wrapped before it stale.
    if (spare.length > 0 && spare[spare.length - 1]!.masterKeyId !== wrapper.currentId) dropSpares();
    const made = spare.pop();
    if (made) {
      topUp();
      return caseDraft(scope, subjectRef, made);
    }
    return caseKeys().then((keys) => {
      topUp();
      return caseDraft(scope, subjectRef, keys);
    });
  }

  function caseDraft(scope: string, subjectRef: string | null, { keyId, bytes, masterKeyId, wrapped }: SpareKeys): DraftedKey {
    const key = { id: keyId, bytes: bytes.subarray(0, KEY_BYTES) };
    const evidence = { id: keyId + EVIDENCE_MARK, bytes: bytes.subarray(KEY_BYTES) };
    return { key, row: { keyId, scope, subjectRef, masterKeyId, wrapped, evidenceKey: true }, evidence };
  }

  /**
   * The answer to one request from the rows at hand: a key, null (destroyed), or undefined when a row must be made.
   * An evidence scope is answered by a row of its own when its case predates shared rows, else by its case's row.
   */
  async function answer(request: KeyRequest, rows: Map<string, Row>, made: Map<string, Buffer>): Promise<Key | null | undefined> {
    const bytesOf = async (row: Row) => made.get(row.key_id) ?? (await open(row));
    const own = rows.get(request.scope);
    if (own) return keysOf(own, await bytesOf(own)).main;
    const base = caseOfEvidenceScope(request.scope);
    const caseRow = base === null ? undefined : rows.get(base);
    if (!caseRow) return undefined;
    if (caseRow.wrapped === null || caseRow.evidence_shredded_at !== null) return null;
    // A case row without an evidence half (made before shared rows): the evidence gets a row of its own, as then.
    return caseRow.evidence_key ? keysOf(caseRow, await bytesOf(caseRow)).evidence : undefined;
  }

  /** Keys made now for the scopes that have none; the existing (winning) row for the others. */
  async function make(requests: readonly KeyRequest[]): Promise<Array<Key | null>> {
    const answers = new Map<string, Key | null>();
    // Twice at most: the second round makes the own rows of evidence scopes whose case row predates shared rows.
    for (let round = 0; round < 2; round += 1) {
      const pending = requests.filter((request) => !answers.has(request.scope));
      if (pending.length === 0) break;
      // The row each request lives in if it must be made now: an evidence scope first tries its case's shared row.
      const rowScope = (request: KeyRequest) => (round === 0 ? caseOfEvidenceScope(request.scope) ?? request.scope : request.scope);
      const wanted = new Map<string, KeyRequest>();
      for (const request of pending) {
        // A case's row serves its evidence too: tagged by whichever request knows the subject, so erasure finds it.
        const known = wanted.get(rowScope(request));
        if (!known || (known.subjectRef === null && request.subjectRef !== null)) wanted.set(rowScope(request), { scope: rowScope(request), subjectRef: request.subjectRef });
      }
      const drafts = await Promise.all([...wanted.values()].map(({ scope, subjectRef }) => draft(scope, subjectRef)));
      const bytes = new Map<string, Buffer>();
      for (const d of drafts) bytes.set(d.key.id, d.evidence ? Buffer.concat([d.key.bytes, d.evidence.bytes]) : d.key.bytes);
      const looked = [...new Set(pending.flatMap((request) => [request.scope, rowScope(request)]))];
      // One round trip whether the scopes are new or not: each key is made and wrapped (cheap) and kept only where its
      // scope had none; the first to insert wins and everyone else reads the winner's key.
      const rows = await db.query<Row>(
        `WITH made AS (${insertNewKeys('$1', 'keep')} RETURNING ${COLUMNS})
         SELECT ${COLUMNS} FROM made
         UNION ALL
         SELECT ${COLUMNS} FROM subject_keys WHERE scope = ANY($2::text[]) AND scope NOT IN (SELECT scope FROM made)`,
        [newKeysJson(drafts.map((d) => d.row)), looked],
      );
      const byScope = new Map(rows.map((row) => [row.scope, row]));
      // A key committed by another process after this statement's snapshot was taken stops our insert but is not in
      // its SELECT: a second statement (a new snapshot) reads it.
      const unseen = [...wanted.keys()].filter((scope) => !byScope.has(scope));
      if (unseen.length > 0) {
        for (const row of await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE scope = ANY($1::text[])`, [unseen])) byScope.set(row.scope, row);
      }
      const untagged = new Map<string, string>();
      for (const request of pending) {
        const key = await answer(request, byScope, bytes);
        if (key !== undefined) answers.set(request.scope, key);
        else if (round === 1) throw new Error(`no key for scope ${request.scope}`);
        const row = byScope.get(request.scope) ?? byScope.get(rowScope(request));
        if (key && row && row.subject_ref === null && request.subjectRef !== null) untagged.set(row.key_id, request.subjectRef);
      }
      // A row made for a case's evidence before anyone named the case's subject learns it from the first who does.
      for (const [keyId, subjectRef] of untagged) {
        await db.query('UPDATE subject_keys SET subject_ref = $2 WHERE key_id = $1 AND subject_ref IS NULL', [keyId, subjectRef]);
      }
    }
    return requests.map((request) => answers.get(request.scope)!);
  }
  // New cases arrive together under load: their keys go out as one statement while the previous one is in flight.
  const maker = groupCommit<KeyRequest, Key | null>(
    async (request) => (await make([request]))[0]!,
    make,
    { maxInFlight: 2, maxBatch: 200 },
  );

  const rowsOfScopes = (scopes: readonly string[]) => db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE scope = ANY($1::text[])`, [[...scopes]]);

  /** The evidence key of a case row as a scope's key, live or destroyed. */
  const evidenceScopeKey = (row: Row, scope: string): ScopeKey => {
    const at = row.evidence_shredded_at ?? row.shredded_at;
    return {
      keyId: row.key_id + EVIDENCE_MARK,
      scope,
      subjectRef: row.subject_ref,
      masterKeyId: at === null ? row.master_key_id : null,
      shreddedAt: at === null ? null : new Date(at).toISOString(),
    };
  };

  /** Shreds the evidence half of a case row alone, the row wrapped again with its records key only; answers its scope. */
  async function shredEvidence(keyId: string, at: string): Promise<string | null> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE key_id = $1`, [keyId]);
      if (!row || !row.evidence_key || row.wrapped === null || row.evidence_shredded_at !== null) return null;
      const bytes = (await open(row))!;
      const { masterKeyId, wrapped } = await wrapper.wrap(Buffer.from(bytes.subarray(0, KEY_BYTES)), keyId);
      // Only over the bytes read: a concurrent rewrap or shred in between is read again, never overwritten.
      const updated = await db.query(
        `UPDATE subject_keys SET wrapped = $2, master_key_id = $3, evidence_shredded_at = $4
         WHERE key_id = $1 AND wrapped = $5 AND evidence_shredded_at IS NULL RETURNING key_id`,
        [keyId, wrapped, masterKeyId, at, Buffer.from(row.wrapped)],
      );
      if (updated.length === 1) return row.scope;
    }
    throw new Error(`the evidence key of ${keyId} kept changing while it was being shredded`);
  }

  const liveIds = async (sql: string, scope: string) => (await db.query<{ key_id: string }>(sql, [scope])).map((row) => row.key_id);

  return {
    kind,
    keyFor: (scope, subjectRef) => maker.submit({ scope, subjectRef }),
    draft,
    async unwrap(keyIds) {
      const found = new Map<string, Buffer | null>();
      if (keyIds.length === 0) return found;
      const wanted = [...new Set(keyIds)];
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE key_id = ANY($1::text[])`, [[...new Set(wanted.map(baseId))]]);
      const byId = new Map(rows.map((row) => [row.key_id, row]));
      const opened = new Map<string, { main: Key | null; evidence: Key | null }>();
      for (const id of wanted) {
        const row = byId.get(baseId(id));
        if (!row) continue;
        const evidence = id !== row.key_id;
        // An evidence id of a row that never held one was never made: absent, not "destroyed".
        if (evidence && !row.evidence_key) continue;
        if (!opened.has(row.key_id)) opened.set(row.key_id, keysOf(row, await open(row)));
        const keys = opened.get(row.key_id)!;
        found.set(id, (evidence ? keys.evidence : keys.main)?.bytes ?? null);
      }
      return found;
    },
    async scope(scope) {
      const base = caseOfEvidenceScope(scope);
      const rows = new Map((await rowsOfScopes(base === null ? [scope] : [scope, base])).map((row) => [row.scope, row]));
      const own = rows.get(scope);
      if (own) return toScopeKey(own);
      const caseRow = base === null ? undefined : rows.get(base);
      return caseRow?.evidence_key ? evidenceScopeKey(caseRow, scope) : null;
    },
    async keysOfSubject(subjectRef) {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE subject_ref = $1 ORDER BY created_at, key_id`, [subjectRef]);
      return rows.flatMap((row) => (row.evidence_key ? [toScopeKey(row), evidenceScopeKey(row, evidenceScope(row.scope))] : [toScopeKey(row)]));
    },
    async shred(keyIds, at) {
      const destroyed = new Set<string>();
      let queue = [...new Set(keyIds)];
      // Twice at most: a case keyed across an upgrade by both releases can hold its evidence key twice (a row of its
      // own and the second half of its case row). Shredding either shreds the other, or evidence sealed under it would
      // stay readable while the record says the evidence is gone.
      for (let pass = 0; pass < 2 && queue.length > 0; pass += 1) {
        const twins: string[] = [];
        const whole = queue.filter((id) => baseId(id) === id);
        // A row destroyed whole takes its evidence key with it; the answer names both, so every cache forgets both.
        const rows = whole.length === 0 ? [] : await db.query<{ key_id: string; scope: string; evidence_live: boolean }>(
          `WITH target AS (
             SELECT key_id, evidence_key AND evidence_shredded_at IS NULL AS evidence_live FROM subject_keys
             WHERE key_id = ANY($1::text[]) AND wrapped IS NOT NULL FOR UPDATE)
           UPDATE subject_keys k SET wrapped = NULL, master_key_id = NULL, shredded_at = $2,
                  evidence_shredded_at = CASE WHEN k.evidence_key THEN coalesce(k.evidence_shredded_at, $2) END
           FROM target WHERE k.key_id = target.key_id
           RETURNING k.key_id, k.scope, target.evidence_live`,
          [whole, at],
        );
        for (const row of rows) {
          destroyed.add(row.key_id);
          if (row.evidence_live) destroyed.add(row.key_id + EVIDENCE_MARK);
          const base = caseOfEvidenceScope(row.scope);
          if (base !== null) twins.push(...(await liveIds(`SELECT key_id || '${EVIDENCE_MARK}' AS key_id FROM subject_keys WHERE scope = $1 AND evidence_key AND evidence_shredded_at IS NULL AND wrapped IS NOT NULL`, base)));
        }
        for (const id of queue) {
          if (baseId(id) === id || destroyed.has(id)) continue;
          const scope = await shredEvidence(baseId(id), at);
          if (scope === null) continue;
          destroyed.add(id);
          twins.push(...(await liveIds('SELECT key_id FROM subject_keys WHERE scope = $1 AND wrapped IS NOT NULL', evidenceScope(scope))));
        }
        queue = twins.filter((id) => !destroyed.has(id));
      }
      return [...destroyed].sort();
    },
    async rewrap() {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1`, [wrapper.currentId]);
      let count = 0;
      for (const first of rows) {
        let row: Row | undefined = first;
        // Only over the bytes read: shredding a case's evidence re-wraps its row meanwhile, and writing the bytes read
        // before it would bring the evidence key back. A row changed since is read again.
        for (let attempt = 0; row && row.wrapped !== null && row.master_key_id !== wrapper.currentId; attempt += 1) {
          if (attempt === 5) throw new Error(`the key ${row.key_id} kept changing while it was being re-wrapped`);
          const bytes = (await open(row))!;
          const { masterKeyId, wrapped } = await wrapper.wrap(bytes, row.key_id);
          const updated = await db.query(
            'UPDATE subject_keys SET master_key_id = $2, wrapped = $3 WHERE key_id = $1 AND wrapped = $4 RETURNING key_id',
            [row.key_id, masterKeyId, wrapped, Buffer.from(row.wrapped)],
          );
          if (updated.length === 1) {
            count += 1;
            break;
          }
          [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE key_id = $1`, [row.key_id]);
        }
      }
      return count;
    },
    async close() {
      // Keys made ahead for cases that never came are wiped, and no more are made.
      closed = true;
      dropSpares();
      await close();
    },
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
