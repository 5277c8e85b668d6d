import type { MigrationDriver, MigrationSession } from '../../sql-migrations/index.ts';
import { conflictsOf, type AuditEntry, type CatalogueEntry, type CatalogueStore, type EntryKey, type EntryQuery } from '../../../domain/ports/catalogue-store.ts';

interface EntryRow {
  kind: string;
  id: string;
  version: number;
  status: CatalogueEntry['status'];
  body: unknown;
  seq: string | number;
  updated_at: Date | string;
  updated_by: string;
}

interface AuditRow {
  seq: string | number;
  at: Date | string;
  actor: AuditEntry['actor'];
  action: string;
  kind: string;
  id: string;
  version: number | null;
  details: Record<string, unknown>;
  command_id: string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function entryOf(row: EntryRow): CatalogueEntry {
  return { kind: row.kind, id: row.id, version: Number(row.version), status: row.status, body: row.body, seq: Number(row.seq), updatedAt: iso(row.updated_at), updatedBy: row.updated_by };
}

function auditOf(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: iso(row.at),
    actor: row.actor,
    action: row.action,
    kind: row.kind,
    id: row.id,
    version: row.version === null ? null : Number(row.version),
    details: row.details,
    commandId: row.command_id,
  };
}

const ENTRY_COLUMNS = 'kind, id, version, status, body, seq, updated_at, updated_by';

async function selectEntry(session: MigrationSession, key: EntryKey): Promise<CatalogueEntry | null> {
  const [row] = await session.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM catalogue_entries WHERE kind = $1 AND id = $2 AND version = $3`, [key.kind, key.id, key.version]);
  return row ? entryOf(row) : null;
}

/** The one SQL implementation; PostgreSQL and PGlite differ only in how a connection is had. */
export function sqlCatalogueStore(kind: 'postgres' | 'pglite', driver: MigrationDriver, close: () => Promise<void>): CatalogueStore {
  return {
    kind,
    async head() {
      const [row] = await driver.query<{ head: string | number | null }>('SELECT max(seq) AS head FROM catalogue_entries');
      return Number(row?.head ?? 0);
    },
    async entries(query: EntryQuery = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (query.kind !== undefined) add('kind = ?', query.kind);
      if (query.id !== undefined) add('id = ?', query.id);
      if (query.status !== undefined) add('status = ANY(?)', query.status);
      if (query.afterSeq !== undefined) add('seq > ?', query.afterSeq);
      const rows = await driver.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM catalogue_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
        params,
      );
      return rows.map(entryOf);
    },
    entry: (key) => selectEntry(driver, key),
    async commit(change) {
      return driver.transaction(async (session) => {
        // Catalogue changes are rare: one at a time, so sequence numbers are taken in commit order and a reader
        // asking for what came after the last number it saw never skips a change that committed late.
        await session.exec('LOCK TABLE catalogue_commands IN EXCLUSIVE MODE');
        const [done] = await session.query<{ seq: string | number }>('SELECT seq FROM catalogue_commands WHERE command_id = $1', [change.commandId]);
        if (done) return { ok: true as const, replayed: true, seq: Number(done.seq) };
        const keys = [...change.guards, ...change.writes, ...(change.removals ?? [])];
        const current = new Map<string, CatalogueEntry | null>();
        for (const key of keys) current.set(`${key.kind}\u0000${key.id}\u0000${key.version}`, await selectEntry(session, key));
        const conflicts = conflictsOf(change, (key) => current.get(`${key.kind}\u0000${key.id}\u0000${key.version}`) ?? null);
        if (conflicts.length > 0) return { ok: false as const, conflicts };
        let seq = 0;
        const next = async () => {
          const [row] = await session.query<{ seq: string | number }>("SELECT nextval('catalogue_seq') AS seq");
          seq = Number(row!.seq);
          return seq;
        };
        const by = `${change.actor.kind}:${change.actor.id}`;
        for (const removal of change.removals ?? []) {
          await session.query('DELETE FROM catalogue_entries WHERE kind = $1 AND id = $2 AND version = $3', [removal.kind, removal.id, removal.version]);
        }
        for (const write of change.writes) {
          await session.query(
            `INSERT INTO catalogue_entries (${ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8)
             ON CONFLICT (kind, id, version) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body, seq = EXCLUDED.seq,
               updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
            [write.kind, write.id, write.version, write.status, JSON.stringify(write.body), await next(), change.at, by],
          );
        }
        for (const entry of change.audit) {
          await session.query(
            'INSERT INTO catalogue_audit (seq, at, actor, action, kind, id, version, details, command_id) VALUES ($1, $2, $3::json, $4, $5, $6, $7, $8::json, $9)',
            [await next(), change.at, JSON.stringify(change.actor), entry.action, entry.kind, entry.id, entry.version, JSON.stringify(entry.details), change.commandId],
          );
        }
        await session.query('INSERT INTO catalogue_commands (command_id, seq, committed_at) VALUES ($1, $2, $3)', [change.commandId, seq, change.at]);
        return { ok: true as const, replayed: false, seq };
      });
    },
    async audit(query = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.kind !== undefined) where.push(`kind = $${params.push(query.kind)}`);
      if (query.id !== undefined) where.push(`id = $${params.push(query.id)}`);
      const limit = query.limit !== undefined ? `LIMIT $${params.push(query.limit)}` : '';
      const rows = await driver.query<AuditRow>(
        `SELECT * FROM (SELECT * FROM catalogue_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC ${limit}) newest ORDER BY seq`,
        params,
      );
      return rows.map(auditOf);
    },
    close,
  };
}
