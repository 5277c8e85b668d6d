/**
 * The subject key store: one data key per scope (a case, or a subject's access log), tagged with the subject's keyed
 * hash, kept only wrapped by a master key. Destroying a key (shred) makes every value sealed under it unreadable for
 * good, wherever copies of the log went. Two ports, so a city can keep the master key in its KMS or HSM:
 *
 * - KeyWrapper: wraps and unwraps data keys under a master key. The default keeps master keys in a file or the
 *   environment (master-keys.ts); a KMS/HSM adapter implements the same three members with its encrypt/decrypt (or
 *   PKCS#11 wrap/unwrap) calls, naming its key by `currentId`.
 * - KeyStore: where the wrapped keys live (PostgreSQL table `subject_keys`, or the embedded PGlite), separate from
 *   the events, so a dump of the log alone reveals nothing.
 */
export interface KeyWrapper {
  /** The master key new data keys are wrapped under. */
  readonly currentId: string;
  wrap(dataKey: Buffer, keyId: string): Promise<{ masterKeyId: string; wrapped: Buffer }>;
  /** Throws when the master key is unknown or the wrapped bytes do not open. */
  unwrap(wrapped: Buffer, masterKeyId: string, keyId: string): Promise<Buffer>;
}

export interface ScopeKey {
  keyId: string;
  scope: string;
  subjectRef: string | null;
  /** ISO instant; null while the key exists. */
  shreddedAt: string | null;
  masterKeyId: string | null;
}

/** A data key made and wrapped but not yet stored: its row, for a store that writes it with the events it seals. */
export interface NewSubjectKey {
  keyId: string;
  scope: string;
  subjectRef: string | null;
  masterKeyId: string;
  wrapped: Buffer;
  /** The row also holds its case's evidence key (the second half of the wrapped bytes). */
  evidenceKey?: boolean;
}

/** The scope already has a key (another writer made it first, or it was shredded): nothing was written. */
export class SubjectKeyTakenError extends Error {
  constructor(readonly scopes: readonly string[]) {
    super(`a subject key already exists for ${scopes.join(', ')}`);
    this.name = 'SubjectKeyTakenError';
  }
}

/**
 * A sealed event names a key the key store has never held. Never read as "erased" (that is only for a key that was
 * destroyed): the log and the key store disagree, e.g. restored from different backups, and someone must look.
 */
export class MissingSubjectKeyError extends Error {
  constructor(readonly keyIds: readonly string[]) {
    super(`no subject key ${keyIds.join(', ')} in the key store, though the log has values sealed under it (were the events and subject_keys restored from different backups?)`);
    this.name = 'MissingSubjectKeyError';
  }
}

/** A key made for a new scope, with the row that stores it (see KeyStore.draft). */
export interface DraftedKey {
  key: { id: string; bytes: Buffer };
  row: NewSubjectKey;
  evidence?: { id: string; bytes: Buffer };
}

export interface KeyStore {
  readonly kind: 'postgres' | 'pglite';
  /**
   * The live key of `scope`, made now (tagged `subjectRef`) when the scope has none; null when its key was destroyed
   * (nothing new is sealed in a shredded scope: its values are stored "erased"). Concurrent calls get one key.
   */
  keyFor(scope: string, subjectRef: string | null): Promise<{ id: string; bytes: Buffer } | null>;
  /**
   * A new key for `scope`, made and wrapped here but not stored: for the first events of a new scope, whose key row
   * an event store that shares this store's database writes in the same transaction (EventStore.appendWithKeys), so
   * a new case costs no round trip of its own. Stored only by that append; a scope that has a key refuses it there.
   * A case's records scope comes with its evidence key (`evidence`, scope `<scope>#evidence`), held in the same row.
   * Answers at once (not a promise) when a key made ahead is at hand, so a new case's first append can seal without
   * a turn of the event loop.
   */
  draft(scope: string, subjectRef: string | null): DraftedKey | Promise<DraftedKey>;
  /** Data keys by id: bytes, null for a destroyed key; ids never made are absent. */
  unwrap(keyIds: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** The key of one scope, live or destroyed. */
  scope(scope: string): Promise<ScopeKey | null>;
  /** Every key tagged with the subject's keyed hash. */
  keysOfSubject(subjectRef: string): Promise<ScopeKey[]>;
  /** Destroys the keys; answers the ids destroyed by this call (already destroyed ones are left out). */
  shred(keyIds: readonly string[], at: string): Promise<string[]>;
  /** Re-wraps every live key not under the wrapper's current master key; the log is not touched. Answers the count. */
  rewrap(): Promise<number>;
  close(): Promise<void>;
}
