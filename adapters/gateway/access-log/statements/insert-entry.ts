import type pg from 'pg';
import type { AccessLogEntry, AnswerToKeep, NewAccessLogEntry } from '../types.ts';
import { keepAnswerSql, keepAnswerValues } from '../../replay-cache/postgres/keep-answer.ts';
import { entryOf, type AccessLogRow } from './entry-row.ts';
import { ACCESS_LOG_TABLE } from './migrate-access-log.ts';

/**
 * One entry, numbered in commit order, and with `keep` the answer of its delivery, both in one statement: both are
 * written or neither.
 *
 * Commit order: readers page by `seq` (`after`), as auditors do. A bigserial alone is taken when the row is made, so
 * an entry could commit after one with a higher seq (its transaction waiting on a kept answer's row, say) and a reader
 * that had already paged past that seq would never see it. So each append first takes the department's advisory lock,
 * held to its commit, and only then draws its seq. The whole append is this one statement, so no client ever holds
 * that lock between round trips; `lock_timeout` bounds any wait (set for this statement's transaction only).
 */
export async function insertAccessLogEntry(
  pool: Pick<pg.Pool, 'query'>,
  e: NewAccessLogEntry,
  options: { lockTimeoutMs: number; keep?: { department: string; answer: AnswerToKeep } },
): Promise<AccessLogEntry> {
  const { keep } = options;
  const values: unknown[] = [e.at, e.department, e.result, e.status, e.reason, e.verified, e.requestId, e.issuer, e.keyId, e.requester, e.caseId, e.serviceId, e.legalBasis, e.subject?.type ?? null, e.subject?.id ?? null, e.dataItem, e.fields, options.lockTimeoutMs];
  const kept = keep ? `, kept AS (${keepAnswerSql(['$19', '$20', '$21', '$22', '$23', '$24'], 'entry')})` : '';
  if (keep) values.push(...keepAnswerValues(keep.department, keep.answer));
  const result = await pool.query<AccessLogRow>({
    name: keep ? 'gateway_access_log_append_keep' : 'gateway_access_log_append',
    text: `WITH bounded AS (SELECT set_config('lock_timeout', $18::int || 'ms', true)),
                ordered AS (SELECT pg_advisory_xact_lock(hashtextextended('errand.gateway.access-log/' || $2::text, 0)) FROM bounded),
                entry AS (
                  INSERT INTO ${ACCESS_LOG_TABLE} (at, department, result, status, reason, verified, request_id, issuer, key_id, requester,
                    case_id, service_id, legal_basis, subject_type, subject_id, data_item, fields)
                  SELECT $1::timestamptz, $2::text, $3::text, $4::int, $5::text, $6::boolean, $7::text, $8::text, $9::text, $10::text,
                    $11::text, $12::text, $13::text, $14::text, $15::text, $16::text, $17::text[]
                  FROM ordered
                  RETURNING *)${kept}
           SELECT * FROM entry`,
    values,
  });
  return entryOf(result.rows[0] as AccessLogRow);
}
