import type { SqlStatement } from '../runner.ts';

/** Shared with other components' migration runners, hence the component column in the key. */
export function createMigrationsTableStatement(): SqlStatement {
  return {
    text: `CREATE TABLE IF NOT EXISTS schema_migrations (
             component  text NOT NULL,
             version    integer NOT NULL,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(),
             PRIMARY KEY (component, version))`,
    values: [],
  };
}
