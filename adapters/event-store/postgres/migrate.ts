import { migrateComponent, type MigrationDriver, type MigrationSession } from '../../sql-migrations/index.ts';
import { eventStoreMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/index.ts';
import type { SqlDriver, SqlRunner } from './runner.ts';

export const EVENT_STORE_COMPONENT = 'event-store';

export interface MigrationReport {
  applied: number[];
}

/**
 * Brings the schema to the latest version through the shared runner (adapters/sql-migrations): nothing but reads
 * when it is up to date; otherwise every missing step in one transaction under the migration lock. The event store
 * has always recorded its versions in schema_migrations, so there is nothing older to adopt.
 */
export async function migrateEventStore(
  driver: SqlDriver,
  migrations: readonly Migration[] = eventStoreMigrations,
): Promise<MigrationReport> {
  return { applied: await migrateComponent(migrationDriver(driver), { name: EVENT_STORE_COMPONENT, migrations }) };
}

function sessionOf(runner: SqlRunner): MigrationSession {
  return {
    query: (text, params = []) => runner.query({ text, values: params }),
    async exec(script) {
      // A statement without values goes through the simple protocol (pg) or exec (PGlite): several statements.
      await runner.query({ text: script, values: [] });
    },
  };
}

function migrationDriver(driver: SqlDriver): MigrationDriver {
  return {
    ...sessionOf(driver),
    transaction: (work) =>
      driver.withSession(async (runner) => {
        const session = sessionOf(runner);
        await session.exec('BEGIN');
        try {
          const result = await work(session);
          await session.exec('COMMIT');
          return result;
        } catch (error) {
          await session.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}
