import { conflictsOf, type AuditEntry, type CatalogueEntry, type CatalogueStore, type EntryKey } from '../../domain/ports/catalogue-store.ts';

const keyOf = (key: EntryKey) => `${key.kind}\u0000${key.id}\u0000${key.version}`;

/**
 * This process's memory: for EventStoreDB with MongoDB, where Errand owns no SQL database. Each process then seeds
 * its own catalogue from the bundled files and changes made through one process are not seen by another.
 */
export function createMemoryCatalogueStore(): CatalogueStore {
  const entries = new Map<string, CatalogueEntry>();
  const audit: AuditEntry[] = [];
  const commands = new Map<string, number>();
  let seq = 0;
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    kind: 'memory',
    async head() {
      return Math.max(0, ...[...entries.values()].map((e) => e.seq));
    },
    async entries(query = {}) {
      return [...entries.values()]
        .filter((e) => (query.kind === undefined || e.kind === query.kind) && (query.id === undefined || e.id === query.id))
        .filter((e) => (query.status === undefined || query.status.includes(e.status)) && (query.afterSeq === undefined || e.seq > query.afterSeq))
        .sort((a, b) => a.seq - b.seq)
        .map(copy);
    },
    async entry(key) {
      const found = entries.get(keyOf(key));
      return found ? copy(found) : null;
    },
    async commit(change) {
      const done = commands.get(change.commandId);
      if (done !== undefined) return { ok: true, replayed: true, seq: done };
      const conflicts = conflictsOf(change, (key) => entries.get(keyOf(key)) ?? null);
      if (conflicts.length > 0) return { ok: false, conflicts };
      const by = `${change.actor.kind}:${change.actor.id}`;
      for (const removal of change.removals ?? []) entries.delete(keyOf(removal));
      for (const write of change.writes) {
        entries.set(keyOf(write), { ...copy(write), seq: ++seq, updatedAt: change.at.toISOString(), updatedBy: by });
      }
      for (const entry of change.audit) audit.push({ ...copy(entry), seq: ++seq, at: change.at.toISOString(), actor: copy(change.actor), commandId: change.commandId });
      commands.set(change.commandId, seq);
      return { ok: true, replayed: false, seq };
    },
    async audit(query = {}) {
      const matching = audit.filter((e) => (query.kind === undefined || e.kind === query.kind) && (query.id === undefined || e.id === query.id));
      return (query.limit === undefined ? matching : matching.slice(-query.limit)).map(copy);
    },
    async close() {},
  };
}
