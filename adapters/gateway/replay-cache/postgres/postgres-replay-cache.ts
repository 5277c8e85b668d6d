import type pg from 'pg';
import { createPgPool } from '../../../pg-pool.ts';
import { ANSWER_TABLE, REPLAY_TABLE as TABLE, migrateGateway } from '../../migrations.ts';
import type { ReplayCache } from '../../../../domain/ports/replay-cache.ts';
import { keepAnswerQuery, SWEEP_ANSWERS_EVERY, sweepAnswersQuery } from './keep-answer.ts';

export interface PostgresReplayCacheOptions {
  connectionString?: string;
  pool?: pg.Pool;
  department: string;
  /** How long opening a connection, or waiting for a free one, may take when the cache makes its own pool (default 30 s). */
  connectTimeoutMs?: number;
}

/** Expired ids are swept every this many first uses; tokens live two minutes at most, so the table stays small. */
const SWEEP_EVERY = 500;

/**
 * The gateway's replay cache in PostgreSQL (the access log's database), shared by every instance of the department's
 * gateway. One statement decides: the insert wins for exactly one caller, or takes over an id whose token expired.
 */
export async function createPostgresReplayCache(options: PostgresReplayCacheOptions): Promise<ReplayCache> {
  if (!options.pool && !options.connectionString) throw new Error('createPostgresReplayCache needs a connectionString or a pool');
  const owned = !options.pool;
  const pool = options.pool ?? createPgPool({ connectionString: options.connectionString, max: 5, applicationName: `errand-gateway-${options.department}-replays`, connectTimeoutMs: options.connectTimeoutMs });
  await migrateGateway(pool);
  let uses = 0;
  return {
    async firstUse(jti, expiresAtMs, nowMs) {
      const { rowCount } = await pool.query({
        name: 'gateway_replay_first_use',
        text: `INSERT INTO ${TABLE} (department, jti, expires_at) VALUES ($1, $2, to_timestamp($3::float8 / 1000))
               ON CONFLICT (department, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
               WHERE ${TABLE}.expires_at <= to_timestamp($4::float8 / 1000)`,
        values: [options.department, jti, expiresAtMs, nowMs],
      });
      uses += 1;
      if (uses % SWEEP_EVERY === 0) {
        await pool.query(`DELETE FROM ${TABLE} WHERE department = $1 AND expires_at <= to_timestamp($2::float8 / 1000)`, [options.department, nowMs]).catch(() => undefined);
      }
      return rowCount === 1;
    },
    async keptAnswer(requestKey, nowMs) {
      const { rows } = await pool.query<{ digest: string; body: string }>({
        name: 'gateway_kept_answer',
        text: `SELECT digest, body FROM ${ANSWER_TABLE} WHERE department = $1 AND request_key = $2 AND expires_at > to_timestamp($3::float8 / 1000)`,
        values: [options.department, requestKey, nowMs],
      });
      return rows[0] ? { digest: rows[0].digest, body: rows[0].body } : null;
    },
    async keepAnswer(requestKey, answer, expiresAtMs, nowMs) {
      await pool.query(keepAnswerQuery(options.department, { requestKey, digest: answer.digest, body: answer.body, expiresAtMs, nowMs }));
      uses += 1;
      if (uses % SWEEP_ANSWERS_EVERY === 0) await pool.query(sweepAnswersQuery(options.department, nowMs)).catch(() => undefined);
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
