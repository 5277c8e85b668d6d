import { migrateComponent, pgMigrationDriver, relationExists, type Component } from '../sql-migrations/index.ts';
import type pg from 'pg';

export const ACCESS_LOG_TABLE = 'gateway_access_log';
export const REPLAY_TABLE = 'gateway_replays';
export const ANSWER_TABLE = 'gateway_answers';

/**
 * The department gateway's tables, one component of the shared runner. Before it, each was made with
 * CREATE ... IF NOT EXISTS on start (the access log's index, function and triggers with it), so a table that exists
 * is adopted as its version.
 */
export const gatewayComponent: Component = {
  name: 'gateway',
  migrations: [
    {
      version: 1,
      name: 'access log',
      // Append-only: an UPDATE, DELETE or TRUNCATE raises, whoever sends it.
      sql: /* sql */ `
CREATE TABLE ${ACCESS_LOG_TABLE} (
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
);
CREATE INDEX ${ACCESS_LOG_TABLE}_department_seq ON ${ACCESS_LOG_TABLE} (department, seq);
CREATE OR REPLACE FUNCTION ${ACCESS_LOG_TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the gateway access log is append-only'; END $$;
CREATE TRIGGER ${ACCESS_LOG_TABLE}_no_rewrite BEFORE UPDATE OR DELETE ON ${ACCESS_LOG_TABLE} FOR EACH ROW EXECUTE FUNCTION ${ACCESS_LOG_TABLE}_append_only();
CREATE TRIGGER ${ACCESS_LOG_TABLE}_no_truncate BEFORE TRUNCATE ON ${ACCESS_LOG_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION ${ACCESS_LOG_TABLE}_append_only();
`,
    },
    {
      version: 2,
      name: 'replay cache',
      sql: /* sql */ `
CREATE TABLE ${REPLAY_TABLE} (
  department text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (department, jti)
);
`,
    },
    {
      version: 3,
      name: 'answers kept by request key',
      // What the department answered to one evidence request, so a platform retry is served without a second
      // delivery from its data; rows expire (default one day) and are swept.
      sql: /* sql */ `
CREATE TABLE ${ANSWER_TABLE} (
  department text NOT NULL,
  request_key text NOT NULL,
  digest text NOT NULL,
  body text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (department, request_key)
);
`,
    },
  ],
  async adopt(session) {
    const versions: number[] = [];
    if (await relationExists(session, ACCESS_LOG_TABLE)) versions.push(1);
    if (await relationExists(session, REPLAY_TABLE)) versions.push(2);
    return versions;
  },
};

/** Both gateway tables are migrated together by whichever of the access log and replay cache starts first. */
export async function migrateGateway(pool: pg.Pool): Promise<number[]> {
  return migrateComponent(pgMigrationDriver(pool), gatewayComponent);
}
