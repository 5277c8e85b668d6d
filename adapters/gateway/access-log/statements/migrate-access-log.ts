import type pg from 'pg';
import { withAdvisoryLock } from '../../advisory-lock.ts';

export const ACCESS_LOG_TABLE = 'gateway_access_log';

/** Idempotent: creates the table, its index and the trigger that makes it append-only. */
export async function migrateAccessLog(pool: pg.Pool): Promise<void> {
  await withAdvisoryLock(pool, ACCESS_LOG_TABLE, async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS ${ACCESS_LOG_TABLE} (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      department text NOT NULL,
      result text NOT NULL,
      status integer NOT NULL,
      reason text,
      verified boolean NOT NULL,
      request_id text,
      issuer text,
      key_id text,
      requester text,
      case_id text,
      service_id text,
      legal_basis text,
      subject_type text,
      subject_id text,
      data_item text,
      fields text[] NOT NULL
    )`);
    await client.query(`CREATE INDEX IF NOT EXISTS ${ACCESS_LOG_TABLE}_department_seq ON ${ACCESS_LOG_TABLE} (department, seq)`);
    await client.query(`CREATE OR REPLACE FUNCTION ${ACCESS_LOG_TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the gateway access log is append-only'; END $$`);
    await client.query(`DROP TRIGGER IF EXISTS ${ACCESS_LOG_TABLE}_no_rewrite ON ${ACCESS_LOG_TABLE}`);
    await client.query(`CREATE TRIGGER ${ACCESS_LOG_TABLE}_no_rewrite BEFORE UPDATE OR DELETE ON ${ACCESS_LOG_TABLE} FOR EACH ROW EXECUTE FUNCTION ${ACCESS_LOG_TABLE}_append_only()`);
    await client.query(`DROP TRIGGER IF EXISTS ${ACCESS_LOG_TABLE}_no_truncate ON ${ACCESS_LOG_TABLE}`);
    await client.query(`CREATE TRIGGER ${ACCESS_LOG_TABLE}_no_truncate BEFORE TRUNCATE ON ${ACCESS_LOG_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION ${ACCESS_LOG_TABLE}_append_only()`);
  });
}
