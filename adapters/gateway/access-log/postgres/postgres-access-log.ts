/**
 * The access log in PostgreSQL, append-only by construction: a trigger refuses UPDATE and DELETE (and TRUNCATE),
 * so not even the gateway's own code can rewrite what it answered. One table may hold several departments.
 */
import pg from 'pg';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AccessLog, type AccessLogEntry, type AccessLogQuery, type NewAccessLogEntry } from '../types.ts';
import { migrateAccessLog } from '../statements/migrate-access-log.ts';
import { insertAccessLogEntry } from '../statements/insert-entry.ts';
import { selectAccessLogEntries } from '../statements/select-entries.ts';

export interface PostgresAccessLogOptions {
  connectionString?: string;
  pool?: pg.Pool;
  department: string;
}

export async function createPostgresAccessLog(options: PostgresAccessLogOptions): Promise<AccessLog> {
  if (!options.pool && !options.connectionString) throw new Error('createPostgresAccessLog needs a connectionString or a pool');
  const owned = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 5 });
  if (owned) pool.on('error', () => undefined);
  await migrateAccessLog(pool);
  return {
    async append(entry: NewAccessLogEntry): Promise<AccessLogEntry> {
      return insertAccessLogEntry(pool, entry);
    },
    async list(query: AccessLogQuery = {}): Promise<AccessLogEntry[]> {
      const limit = Math.min(query.limit ?? DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      return selectAccessLogEntries(pool, options.department, { ...query, limit });
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
