import type pg from 'pg';
import { ANSWER_TABLE } from '../../migrations.ts';
import type { AnswerToKeep } from '../../access-log/types.ts';

/**
 * The one INSERT that keeps an answer for retries of its request key: the first answer stays unless it has expired.
 * `p` names its six parameters (department, request key, digest, body, expiry ms, now ms); with `from`, it inserts
 * once per row of that relation (the access log keeps an answer with the entry of its delivery, in one statement).
 */
export function keepAnswerSql(p: readonly [string, string, string, string, string, string], from?: string): string {
  const [department, key, digest, body, expires, now] = p;
  const row = `${department}::text, ${key}::text, ${digest}::text, ${body}::text, to_timestamp(${expires}::float8 / 1000)`;
  return `INSERT INTO ${ANSWER_TABLE} (department, request_key, digest, body, expires_at) ${from ? `SELECT ${row} FROM ${from}` : `VALUES (${row})`}
           ON CONFLICT (department, request_key) DO UPDATE SET digest = EXCLUDED.digest, body = EXCLUDED.body, expires_at = EXCLUDED.expires_at
           WHERE ${ANSWER_TABLE}.expires_at <= to_timestamp(${now}::float8 / 1000)`;
}

export const keepAnswerValues = (department: string, keep: AnswerToKeep) => [department, keep.requestKey, keep.digest, keep.body, keep.expiresAtMs, keep.nowMs];

/** The replay cache's own keep, on its own. */
export function keepAnswerQuery(department: string, keep: AnswerToKeep): pg.QueryConfig {
  return { name: 'gateway_keep_answer', text: keepAnswerSql(['$1', '$2', '$3', '$4', '$5', '$6']), values: keepAnswerValues(department, keep) };
}

/** Kept answers hold evidence fields: every this many keeps, the expired ones of the department are deleted. */
export const SWEEP_ANSWERS_EVERY = 500;

export function sweepAnswersQuery(department: string, nowMs: number): pg.QueryConfig {
  return { text: `DELETE FROM ${ANSWER_TABLE} WHERE department = $1 AND expires_at <= to_timestamp($2::float8 / 1000)`, values: [department, nowMs] };
}
