import type pg from 'pg';
import { ANSWER_TABLE } from '../../migrations.ts';
import type { AnswerToKeep } from '../../access-log/types.ts';

/**
 * The one statement that keeps an answer for retries of its request key: the first answer stays unless it has
 * expired. The replay cache runs it on its own; the access log runs it in the transaction of the delivery it logs.
 */
export function keepAnswerQuery(department: string, keep: AnswerToKeep): pg.QueryConfig {
  return {
    name: 'gateway_keep_answer',
    text: `INSERT INTO ${ANSWER_TABLE} (department, request_key, digest, body, expires_at) VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000))
           ON CONFLICT (department, request_key) DO UPDATE SET digest = EXCLUDED.digest, body = EXCLUDED.body, expires_at = EXCLUDED.expires_at
           WHERE ${ANSWER_TABLE}.expires_at <= to_timestamp($6::float8 / 1000)`,
    values: [department, keep.requestKey, keep.digest, keep.body, keep.expiresAtMs, keep.nowMs],
  };
}

/** Kept answers hold evidence fields: every this many keeps, the expired ones of the department are deleted. */
export const SWEEP_ANSWERS_EVERY = 500;

export function sweepAnswersQuery(department: string, nowMs: number): pg.QueryConfig {
  return { text: `DELETE FROM ${ANSWER_TABLE} WHERE department = $1 AND expires_at <= to_timestamp($2::float8 / 1000)`, values: [department, nowMs] };
}
