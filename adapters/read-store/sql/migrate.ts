import type { SqlDriver } from './driver.ts';
import { migrations as all, type Migration } from './migrations/index.ts';
import type { Tables } from './tables.ts';

/**
 * Applies pending migrations in one transaction under an advisory lock, so processes starting together neither race
 * on CREATE TABLE nor apply a version twice.
 */
export async function migrate(driver: SqlDriver, tables: Tables, migrations: readonly Migration[] = all): Promise<number[]> {
  return driver.transaction(async (session) => {
    await session.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`errand read store ${tables.migrations}`]);
    if (tables.schema) await session.exec(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
    await session.exec(`
      CREATE TABLE IF NOT EXISTS ${tables.migrations} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await session.query<{ version: number }>(`SELECT version FROM ${tables.migrations}`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await session.exec(migration.up(tables));
      await session.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
