/**
 * The catalogue store: services, bundles and the data catalogue as the city runs them (not files in the source
 * tree), each version with its review status, plus the audit trail of who changed what. One port, one contract suite
 * (test/contract/catalogue-store.contract.ts) that every adapter passes: PostgreSQL, PGlite and memory.
 *
 * The store knows nothing of what a definition means (domain/catalogue validates that); it keeps three promises:
 * - a change (its writes, removals and audit entries) is applied whole or not at all, and only while every guard
 *   holds (each named entry is in the status the caller saw, or absent), so two administrators cannot both approve;
 * - a published entry never changes and is never removed: running cases rely on their service version forever;
 * - every write gets a sequence number in commit order, so a reader that asks for entries after the last one it
 *   saw never misses a late commit (`entries({ afterSeq })`).
 * A change carries a command id: sending it again changes nothing and answers as the first time (replayed: true).
 */

export type EntryStatus = 'draft' | 'approved' | 'published' | 'recorded';

/** Kinds the catalogue keeps: 'service', 'bundle', 'data-catalogue', 'dry-run', 'duties' (lower-case words). */
export type EntryKind = string;

export interface EntryKey {
  kind: EntryKind;
  id: string;
  version: number;
}

export interface CatalogueEntry extends EntryKey {
  status: EntryStatus;
  /** The definition as written (key order kept). */
  body: unknown;
  seq: number;
  updatedAt: string;
  updatedBy: string;
}

export interface EntryWrite extends EntryKey {
  status: EntryStatus;
  body: unknown;
}

/** The entry must be in this status for the change to apply; null: it must not exist. */
export interface EntryGuard extends EntryKey {
  status: EntryStatus | null;
  /**
   * The entry must still be the one read (its sequence number): a status alone lets an edit saved in between, which
   * keeps the status, pass, and the change would then approve or publish a definition nobody decided on.
   */
  seq?: number;
}

export interface CatalogueActor {
  kind: string;
  id: string;
}

export interface AuditInput {
  /** e.g. 'draft-saved', 'approved', 'published', 'publish-override', 'dry-run', 'imported', 'seeded'. */
  action: string;
  kind: EntryKind;
  id: string;
  version: number | null;
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  at: string;
  actor: CatalogueActor;
  commandId: string;
}

export interface CatalogueChange {
  commandId: string;
  actor: CatalogueActor;
  at: Date;
  guards: EntryGuard[];
  writes: EntryWrite[];
  /** Entries taken out (a discarded draft); a published one cannot be. */
  removals?: EntryKey[];
  audit: AuditInput[];
}

export type CommitResult = { ok: true; replayed: boolean; seq: number } | { ok: false; conflicts: string[] };

export interface EntryQuery {
  kind?: EntryKind;
  id?: string;
  status?: EntryStatus[];
  /** Only entries written after this sequence number. */
  afterSeq?: number;
}

export interface AuditQuery {
  kind?: EntryKind;
  id?: string;
  /** The newest this many (still oldest first). */
  limit?: number;
}

export interface CatalogueStore {
  readonly kind: 'postgres' | 'pglite' | 'memory';
  /** The highest sequence number written (0 when empty): a cheap "has anything changed?". */
  head(): Promise<number>;
  /** Entries in sequence order. */
  entries(query?: EntryQuery): Promise<CatalogueEntry[]>;
  entry(key: EntryKey): Promise<CatalogueEntry | null>;
  commit(change: CatalogueChange): Promise<CommitResult>;
  /** Audit entries in sequence order. */
  audit(query?: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export const keyName = (key: EntryKey): string => `${key.kind} "${key.id}" v${key.version}`;

/**
 * What every adapter checks before writing, given the current entries the change names: guards hold, published
 * entries stay as they are. Pure, so the adapters cannot disagree on it.
 */
export function conflictsOf(change: CatalogueChange, current: (key: EntryKey) => CatalogueEntry | null): string[] {
  const conflicts: string[] = [];
  for (const guard of change.guards) {
    const entry = current(guard);
    const status = entry?.status ?? null;
    if (status !== guard.status) conflicts.push(`${keyName(guard)} is ${status ?? 'absent'}, expected ${guard.status ?? 'absent'}`);
    else if (guard.seq !== undefined && entry?.seq !== guard.seq) conflicts.push(`${keyName(guard)} was changed since it was read`);
  }
  for (const write of change.writes) {
    if (current(write)?.status === 'published') conflicts.push(`${keyName(write)} is published and cannot change`);
  }
  for (const removal of change.removals ?? []) {
    if (current(removal)?.status === 'published') conflicts.push(`${keyName(removal)} is published and cannot be removed`);
  }
  return conflicts;
}
