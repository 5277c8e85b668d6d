import type { Component } from '../sql-migrations/index.ts';

/**
 * The catalogue's tables, one component of the shared migration runner. Bodies are `json`, not `jsonb`, so a
 * definition reads back with its keys in the order its author wrote them (exports and error messages follow it).
 * The audit table refuses UPDATE, DELETE and TRUNCATE: the trail of who drafted, approved and published only grows.
 */
export const catalogueComponent: Component = {
  name: 'catalogue',
  migrations: [
    {
      version: 1,
      name: 'catalogue entries, audit and commands',
      sql: `CREATE SEQUENCE catalogue_seq;
            CREATE TABLE catalogue_entries (
              kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z-]*$'),
              id         text NOT NULL,
              version    integer NOT NULL CHECK (version >= 1),
              status     text NOT NULL CHECK (status IN ('draft', 'approved', 'published', 'recorded')),
              body       json NOT NULL,
              seq        bigint NOT NULL,
              updated_at timestamptz NOT NULL,
              updated_by text NOT NULL,
              PRIMARY KEY (kind, id, version)
            );
            CREATE INDEX catalogue_entries_seq ON catalogue_entries (seq);
            CREATE TABLE catalogue_audit (
              seq        bigint PRIMARY KEY,
              at         timestamptz NOT NULL,
              actor      json NOT NULL,
              action     text NOT NULL,
              kind       text NOT NULL,
              id         text NOT NULL,
              version    integer,
              details    json NOT NULL,
              command_id text NOT NULL
            );
            CREATE INDEX catalogue_audit_subject ON catalogue_audit (kind, id, seq);
            CREATE TABLE catalogue_commands (
              command_id   text PRIMARY KEY,
              seq          bigint NOT NULL,
              committed_at timestamptz NOT NULL
            );
            CREATE FUNCTION catalogue_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'catalogue_audit is append-only';
            END $$;
            CREATE TRIGGER catalogue_audit_append_only BEFORE UPDATE OR DELETE ON catalogue_audit
              FOR EACH ROW EXECUTE FUNCTION catalogue_audit_append_only();`,
    },
    {
      version: 2,
      name: 'the catalogue audit refuses TRUNCATE',
      // A row trigger never sees a TRUNCATE: without this one the whole trail could go in one statement.
      sql: `CREATE TRIGGER catalogue_audit_no_truncate BEFORE TRUNCATE ON catalogue_audit
              FOR EACH STATEMENT EXECUTE FUNCTION catalogue_audit_append_only();`,
    },
  ],
};
