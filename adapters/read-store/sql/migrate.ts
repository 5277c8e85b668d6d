import { migrateComponent, relationExists, type Component } from '../../sql-migrations/index.ts';
import type { SqlDriver } from './driver.ts';
import { migrations as all, type Migration } from './migrations/index.ts';
import type { Tables } from './tables.ts';

/**
 * The read store's schema as a component of the shared runner, one per schema ("read-store", or
 * "read-store:<schema>" for a store kept in its own schema). Stores made before the shared runner recorded their
 * versions in their own table (`tables.migrations`): those versions are adopted and that table dropped.
 */
export function readStoreComponent(tables: Tables, migrations: readonly Migration[] = all): Component {
  const schema = tables.schema?.replace(/"/g, '');
  return {
    name: schema ? `read-store:${schema}` : 'read-store',
    migrations: migrations.map((m) => ({
      version: m.version,
      name: m.name,
      sql: (m.version === 1 && tables.schema ? `CREATE SCHEMA IF NOT EXISTS ${tables.schema};\n` : '') + m.up(tables),
    })),
    async adopt(session) {
      if (!(await relationExists(session, tables.migrations))) return [];
      const rows = await session.query<{ version: number }>(`SELECT version FROM ${tables.migrations}`);
      await session.exec(`DROP TABLE ${tables.migrations}`);
      return rows.map((row) => Number(row.version));
    },
  };
}

/** Applies pending migrations through the shared runner (adapters/sql-migrations); returns the versions applied. */
export async function migrate(driver: SqlDriver, tables: Tables, migrations: readonly Migration[] = all): Promise<number[]> {
  return migrateComponent(driver, readStoreComponent(tables, migrations));
}
