import type { NewSubjectKey } from '../../../domain/ports/key-store.ts';

/**
 * The one INSERT of new subject keys, for the key store's own statements and for an event store that writes a new
 * case's keys in the same transaction as its first events. The rows travel as one JSON parameter (`param`, e.g. $2)
 * with the wrapped bytes in hex. `onConflict: 'fail'` raises a unique violation on subject_keys_scope_key when a
 * scope already has a key, so the statement it is part of writes nothing; 'keep' leaves the existing key in place.
 */
export function insertNewKeys(param: string, onConflict: 'fail' | 'keep'): string {
  return `INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped, evidence_key)
          SELECT k.key_id, k.scope, k.subject_ref, k.master_key_id, decode(k.wrapped, 'hex'), coalesce(k.evidence_key, false)
          FROM jsonb_to_recordset(${param}::text::jsonb) AS k(key_id text, scope text, subject_ref text, master_key_id text, wrapped text, evidence_key boolean)
          ${onConflict === 'keep' ? 'ON CONFLICT (scope) DO NOTHING' : ''}`;
}

export function newKeysJson(rows: readonly NewSubjectKey[]): string {
  return JSON.stringify(rows.map((row) => ({
    key_id: row.keyId,
    scope: row.scope,
    subject_ref: row.subjectRef,
    master_key_id: row.masterKeyId,
    wrapped: row.wrapped.toString('hex'),
    ...(row.evidenceKey ? { evidence_key: true } : {}),
  })));
}

/** The constraint a second key for one scope violates. */
export const SCOPE_TAKEN_CONSTRAINT = 'subject_keys_scope_key';
