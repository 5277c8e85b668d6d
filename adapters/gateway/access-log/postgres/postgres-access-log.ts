/**
 * The access log in PostgreSQL, append-only by construction: a trigger refuses UPDATE and DELETE (and TRUNCATE),
 * so not even the gateway's own code can rewrite what it answered. One table may hold several departments.
 */
import type pg from 'pg';
import { createPgPool } from '../../../pg-pool.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AccessLog, type AccessLogEntry, type AccessLogQuery, type AnswerToKeep, type NewAccessLogEntry } from '../types.ts';
import { SWEEP_ANSWERS_EVERY, sweepAnswersQuery } from '../../replay-cache/postgres/keep-answer.ts';
import { migrateAccessLog } from '../statements/migrate-access-log.ts';
import { insertAccessLogEntry } from '../statements/insert-entry.ts';
import { selectAccessLogEntries } from '../statements/select-entries.ts';

export interface PostgresAccessLogOptions {
  connectionString?: string;
  pool?: pg.Pool;
  department: string;
  /**
   * The replay cache of this gateway is the PostgreSQL one in this same database (as `npm run gateway` wires it with
   * --access-log-url): a delivery's entry and its kept answer are then written in one statement.
   */
  keepsAnswers?: boolean;
  /**
   * How long an append waits for its department's turn (entries are numbered in commit order), or for the row of an
   * answer another instance is keeping, before it fails and the request is answered 503 to be retried (default 5 s).
   */
  lockTimeoutMs?: number;
  /** How long opening a connection, or waiting for a free one, may take when the log makes its own pool (default 30 s). */
  connectTimeoutMs?: number;
}

export async function createPostgresAccessLog(options: PostgresAccessLogOptions): Promise<AccessLog> {
  if (!options.pool && !options.connectionString) throw new Error('createPostgresAccessLog needs a connectionString or a pool');
  const owned = !options.pool;
  const pool = options.pool ?? createPgPool({ connectionString: options.connectionString, max: 5, applicationName: `errand-gateway-${options.department}-access-log`, connectTimeoutMs: options.connectTimeoutMs });
  await migrateAccessLog(pool);
  let keeps = 0;
  const lockTimeoutMs = options.lockTimeoutMs ?? 5000;
  return {
    keepsAnswers: options.keepsAnswers === true,
    async append(entry: NewAccessLogEntry, keep?: AnswerToKeep): Promise<AccessLogEntry> {
      if (keep === undefined) return insertAccessLogEntry(pool, entry, { lockTimeoutMs });
      if (options.keepsAnswers !== true) throw new Error('this access log does not keep answers: keep them in the replay cache');
      const logged = await insertAccessLogEntry(pool, entry, { lockTimeoutMs, keep: { department: options.department, answer: keep } });
      keeps += 1;
      // Answers carry evidence fields: expired ones are swept here, as the replay cache sweeps those it keeps.
      if (keeps % SWEEP_ANSWERS_EVERY === 0) await pool.query(sweepAnswersQuery(options.department, keep.nowMs)).catch(() => undefined);
      return logged;
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
