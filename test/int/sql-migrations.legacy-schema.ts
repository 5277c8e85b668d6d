/**
 * What a database looked like under the code before the shared migration runner (commit 6ee47ed), rebuilt with that
 * code's DDL: the event store's own runner (schema_migrations, component 'event-store'), the read store's
 * read_store_migrations, the upload store's upload_store_migrations, and the gateway's and lease manager's
 * CREATE ... IF NOT EXISTS, and the evidence library seed's pending table. The event store and read store migration files are unchanged, so they are imported; the
 * rest is copied here because the adapters no longer hold it.
 */
import type pg from 'pg';
import { eventStoreMigrations } from '../../adapters/event-store/postgres/migrations/index.ts';
import { migrations as readStoreMigrations } from '../../adapters/read-store/sql/migrations/index.ts';
import { tablesFor } from '../../adapters/read-store/index.ts';
import type { MigrationSession } from '../../adapters/sql-migrations/index.ts';

export interface LegacyVersions {
  /** Highest event store / read store version the old database reached. */
  eventStore: number;
  readStore: number;
}

export async function createLegacySchema(client: pg.Client, upTo: LegacyVersions): Promise<void> {
  const session: MigrationSession = {
    query: async (text, params) => (await client.query(text, params)).rows,
    exec: async (script) => void (await client.query(script)),
  };
  // adapters/event-store/postgres/sql/migrations-table.ts and record-migration.ts at 6ee47ed.
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
             component  text NOT NULL,
             version    integer NOT NULL,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(),
             PRIMARY KEY (component, version))`);
  for (const m of eventStoreMigrations.filter((step) => step.version <= upTo.eventStore)) {
    await client.query('BEGIN');
    await client.query(m.sql);
    if (m.backfill) await m.backfill(session);
    if (m.sqlAfter) await client.query(m.sqlAfter);
    await client.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', ['event-store', m.version, m.name]);
    await client.query('COMMIT');
  }

  // adapters/read-store/sql/migrate.ts at 6ee47ed.
  const tables = tablesFor();
  await client.query(`CREATE TABLE IF NOT EXISTS ${tables.migrations} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  for (const m of readStoreMigrations.filter((step) => step.version <= upTo.readStore)) {
    await client.query(m.up(tables));
    await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
  }

  // adapters/uploads/postgres-upload-store.ts at 6ee47ed.
  await client.query(`CREATE TABLE IF NOT EXISTS upload_store_migrations (
                          version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await client.query(`CREATE TABLE uploads (
            sha256    text PRIMARY KEY CHECK (sha256 ~ '^[a-f0-9]{64}$'),
            size      integer NOT NULL,
            bytes     bytea NOT NULL,
            stored_at timestamptz NOT NULL DEFAULT now()
          );
          ALTER TABLE uploads ALTER COLUMN bytes SET STORAGE EXTERNAL;`);
  await client.query('INSERT INTO upload_store_migrations (version, name) VALUES ($1, $2)', [1, 'uploads']);

  // adapters/gateway/access-log/statements/migrate-access-log.ts at 6ee47ed.
  const T = 'gateway_access_log';
  await client.query(`CREATE TABLE IF NOT EXISTS ${T} (
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
  await client.query(`CREATE INDEX IF NOT EXISTS ${T}_department_seq ON ${T} (department, seq)`);
  await client.query(`CREATE OR REPLACE FUNCTION ${T}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the gateway access log is append-only'; END $$`);
  await client.query(`DROP TRIGGER IF EXISTS ${T}_no_rewrite ON ${T}`);
  await client.query(`CREATE TRIGGER ${T}_no_rewrite BEFORE UPDATE OR DELETE ON ${T} FOR EACH ROW EXECUTE FUNCTION ${T}_append_only()`);
  await client.query(`DROP TRIGGER IF EXISTS ${T}_no_truncate ON ${T}`);
  await client.query(`CREATE TRIGGER ${T}_no_truncate BEFORE TRUNCATE ON ${T} FOR EACH STATEMENT EXECUTE FUNCTION ${T}_append_only()`);

  // adapters/gateway/replay-cache/postgres-replay-cache.ts at 6ee47ed.
  await client.query(`CREATE TABLE IF NOT EXISTS gateway_replays (
      department text NOT NULL,
      jti text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (department, jti)
    )`);

  // adapters/lease/postgres.ts at 6ee47ed.
  await client.query('CREATE SEQUENCE IF NOT EXISTS errand_lease_tokens');

  // adapters/evidence/sql/seed-sql-library.ts and statements/create-pending-table.ts at 6ee47ed (an empty library).
  await client.query(`CREATE SCHEMA IF NOT EXISTS "library"`);
  await client.query(`DROP TABLE IF EXISTS "library"."pending_records"`);
  await client.query(`CREATE TABLE "library"."pending_records" (data_item text NOT NULL, subject_id text NOT NULL, available_after text NOT NULL, PRIMARY KEY (data_item, subject_id))`);
}

/**
 * Everything that makes up the schema, in a comparable form: columns (with type, nullability, default, storage),
 * indexes, constraints, triggers, functions (with their source), sequences.
 */
export async function schemaSnapshot(client: pg.Client): Promise<Record<string, unknown[]>> {
  const user = `NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;
  const q = async (text: string) => (await client.query(text)).rows;
  return {
    columns: await q(`SELECT c.table_schema, c.table_name, c.column_name, c.ordinal_position, c.data_type, c.is_nullable, c.column_default,
                             c.collation_name, c.is_identity, a.attstorage
                        FROM information_schema.columns c
                        JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
                       WHERE c.table_schema ${user} ORDER BY 1, 2, 4`),
    indexes: await q(`SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname ${user} ORDER BY 1, 2, 3`),
    constraints: await q(`SELECT n.nspname, c.conrelid::regclass::text AS relation, c.conname, pg_get_constraintdef(c.oid) AS def
                            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                           WHERE n.nspname ${user} ORDER BY 1, 2, 3`),
    triggers: await q(`SELECT t.tgrelid::regclass::text AS relation, t.tgname, pg_get_triggerdef(t.oid) AS def, t.tgenabled
                         FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1, 2`),
    functions: await q(`SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result,
                               p.provolatile, md5(p.prosrc) AS source
                          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname ${user} ORDER BY 1, 2, 3`),
    sequences: await q(`SELECT sequence_schema, sequence_name, data_type, start_value, increment FROM information_schema.sequences
                         WHERE sequence_schema ${user} ORDER BY 1, 2`),
  };
}
