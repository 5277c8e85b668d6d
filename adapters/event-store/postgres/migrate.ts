import { eventStoreMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/index.ts';
import type { SqlDriver, SqlRunner } from './runner.ts';
import { advisoryLockStatement } from './sql/advisory-lock.ts';
import { appliedMigrationsStatement } from './sql/applied-migrations.ts';
import { createMigrationsTableStatement } from './sql/migrations-table.ts';
import { recordMigrationStatement } from './sql/record-migration.ts';

const COMPONENT = 'event-store';
// Any fixed 64-bit number works; derived from the component name so other components' runners pick different ones.
const LOCK_KEY = 0x6576656e7473n; // "events"

export interface MigrationReport {
  applied: number[];
}

/**
 * Brings the schema to the latest version. Safe to run from several processes at once: on PostgreSQL it holds a
 * session advisory lock while it reads schema_migrations and applies what is missing, each step in its own
 * transaction; PGlite has one connection, so it simply runs in turn.
 */
export async function migrateEventStore(
  driver: SqlDriver,
  migrations: readonly Migration[] = eventStoreMigrations,
): Promise<MigrationReport> {
  return driver.withSession(async (session) => {
    if (driver.concurrent) await session.query(advisoryLockStatement(LOCK_KEY));
    try {
      return await applyPending(session, migrations);
    } finally {
      if (driver.concurrent) await session.query(advisoryLockStatement(LOCK_KEY, true));
    }
  });
}

async function applyPending(session: SqlRunner, migrations: readonly Migration[]): Promise<MigrationReport> {
  await session.query(createMigrationsTableStatement());
  const rows = await session.query<{ version: number }>(appliedMigrationsStatement(COMPONENT));
  const done = new Set(rows.map((row) => Number(row.version)));
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    await session.query({ text: 'BEGIN', values: [] });
    try {
      await runScript(session, migration.sql);
      if (migration.backfill) await migration.backfill(session);
      if (migration.sqlAfter) await runScript(session, migration.sqlAfter);
      await session.query(recordMigrationStatement(COMPONENT, migration.version, migration.name));
      await session.query({ text: 'COMMIT', values: [] });
    } catch (error) {
      await session.query({ text: 'ROLLBACK', values: [] });
      throw new Error(`event store migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    applied.push(migration.version);
  }
  return { applied };
}

/** Migration scripts hold several statements; drivers send a statement without values through the simple protocol, which allows that. */
async function runScript(session: SqlRunner, sql: string): Promise<void> {
  await session.query({ text: sql, values: [] });
}
