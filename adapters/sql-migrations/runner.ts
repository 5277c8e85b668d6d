import { MIGRATION_LOCK, advisoryXactLock } from './advisory-lock.ts';
import type { Component, Migration } from './component.ts';
import type { MigrationDriver, MigrationSession } from './driver.ts';

export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Errand's one migration runner. Brings `component` to its latest version and returns the versions it applied.
 *
 * When every version is recorded already it only reads (no lock, no DDL), so processes connecting as a role without
 * CREATE start fine once `npm run migrate` has run as the schema owner. Otherwise, in one transaction holding the
 * migration lock: create schema_migrations if missing, adopt what older code created, apply the missing steps in
 * version order. Safe to run from many processes at once; a failed step rolls the whole run back.
 */
export async function migrateComponent(driver: MigrationDriver, component: Component): Promise<number[]> {
  if (await upToDate(driver, component)) return [];
  return driver.transaction(async (session) => {
    await advisoryXactLock(session, MIGRATION_LOCK);
    await session.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      component  text NOT NULL,
      version    integer NOT NULL,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    await session.exec(`ALTER TABLE ${MIGRATIONS_TABLE} ADD COLUMN IF NOT EXISTS breaks_older boolean NOT NULL DEFAULT false`);
    const done = await recorded(session, component);
    if (done.size === 0 && component.adopt) {
      for (const version of await component.adopt(session)) {
        const migration = component.migrations.find((m) => m.version === version);
        if (!migration) continue;
        await record(session, component.name, migration);
        done.add(version);
      }
    }
    const applied: number[] = [];
    for (const migration of [...component.migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      try {
        await session.exec(migration.sql);
        if (migration.backfill) await migration.backfill(session);
        if (migration.sqlAfter) await session.exec(migration.sqlAfter);
      } catch (error) {
        throw new Error(`${component.name} migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      await record(session, component.name, migration);
      applied.push(migration.version);
    }
    return applied;
  });
}

async function upToDate(driver: MigrationDriver, component: Component): Promise<boolean> {
  const [table] = await driver.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [MIGRATIONS_TABLE]);
  if (!table?.present) return false;
  const done = await recorded(driver, component);
  return component.migrations.every((m) => done.has(m.version));
}

/**
 * The versions recorded for the component. Throws when one this code does not know was recorded as breaking older
 * releases: this is such a release, started against data a newer one wrote (a rollback, or a mixed upgrade).
 */
async function recorded(session: MigrationSession, component: Component): Promise<Set<number>> {
  // Read through to_jsonb so a table made before the breaks_older column answers too (as false).
  const rows = await session.query<{ version: number; name: string; breaks: boolean | null }>(
    `SELECT version, name, (to_jsonb(m) ->> 'breaks_older')::boolean AS breaks FROM ${MIGRATIONS_TABLE} m WHERE component = $1`,
    [component.name],
  );
  const known = new Set(component.migrations.map((m) => m.version));
  const ahead = rows.filter((row) => row.breaks === true && !known.has(Number(row.version)));
  if (ahead.length > 0) throw new SchemaAheadError(component.name, ahead.map((row) => ({ version: Number(row.version), name: row.name })));
  return new Set(rows.map((row) => Number(row.version)));
}

async function record(session: MigrationSession, component: string, migration: Migration): Promise<void> {
  await session.query(`INSERT INTO ${MIGRATIONS_TABLE} (component, version, name, breaks_older) VALUES ($1, $2, $3, $4)`, [
    component,
    migration.version,
    migration.name,
    migration.breaksOlderReleases === true,
  ]);
}

/** The database holds data in a form this release cannot read: a newer release applied a step it does not know. */
export class SchemaAheadError extends Error {
  constructor(
    readonly component: string,
    readonly versions: ReadonlyArray<{ version: number; name: string }>,
  ) {
    super(
      `the database's ${component} schema is ahead of this release: ${versions.map((v) => `migration ${v.version} (${v.name})`).join(', ')} ` +
        'changed how data is written, and this release cannot read it. Run the release that applied it, or a newer one.',
    );
    this.name = 'SchemaAheadError';
  }
}

/** For adopt hooks: whether a table, index, sequence or view exists (on the search path unless qualified). */
export async function relationExists(session: MigrationSession, name: string): Promise<boolean> {
  const [row] = await session.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]);
  return row?.present === true;
}
