import type pg from 'pg';
import { migrateComponent, pgMigrationDriver, relationExists, type Component } from '../../sql-migrations/index.ts';
import { DEFAULT_LIBRARY_SCHEMA, PENDING_TABLE, ident, qualified } from './tables.ts';

/**
 * The fixed part of a shared data library (its schema and the pending records), one component of the shared runner
 * per library schema. The item tables are not migrations: their columns follow the catalogue being loaded, so
 * seedSqlLibrary replaces them together with their rows. Seeds from before the runner made the same pending table,
 * so a library that has it is adopted.
 */
export function evidenceLibraryComponent(schema: string = DEFAULT_LIBRARY_SCHEMA): Component {
  const pending = qualified(schema, PENDING_TABLE);
  return {
    name: schema === DEFAULT_LIBRARY_SCHEMA ? 'evidence-library' : `evidence-library:${schema}`,
    migrations: [
      {
        version: 1,
        name: 'library schema and pending records',
        sql: `CREATE SCHEMA IF NOT EXISTS ${ident(schema)};
              CREATE TABLE ${pending} (data_item text NOT NULL, subject_id text NOT NULL, available_after text NOT NULL, PRIMARY KEY (data_item, subject_id));`,
      },
    ],
    async adopt(session) {
      return (await relationExists(session, pending)) ? [1] : [];
    },
  };
}

/** On a pool, or on a client nothing else is using meanwhile (outside any transaction of its own). */
export async function migrateEvidenceLibrary(client: pg.Pool | pg.ClientBase, schema?: string): Promise<number[]> {
  return migrateComponent(pgMigrationDriver(client), evidenceLibraryComponent(schema));
}
