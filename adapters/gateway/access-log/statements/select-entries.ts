import type pg from 'pg';
import type { AccessLogEntry, AccessLogQuery } from '../types.ts';
import { entryOf, type AccessLogRow } from './entry-row.ts';
import { ACCESS_LOG_TABLE } from './migrate-access-log.ts';

export async function selectAccessLogEntries(pool: pg.Pool, department: string, query: AccessLogQuery & { limit: number }): Promise<AccessLogEntry[]> {
  const result = await pool.query<AccessLogRow>(
    `SELECT * FROM ${ACCESS_LOG_TABLE}
     WHERE department = $1 AND seq > $2 AND ($3::text IS NULL OR case_id = $3) AND ($4::text IS NULL OR subject_id = $4)
     ORDER BY seq LIMIT $5`,
    [department, query.after ?? 0, query.caseId ?? null, query.subjectId ?? null, query.limit],
  );
  return result.rows.map(entryOf);
}
