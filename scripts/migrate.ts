/**
 * `npm run migrate`: brings every PostgreSQL schema Errand uses up to date through the one migration runner
 * (adapters/sql-migrations), then exits. In production it runs once per release as the schema owner (deploy/),
 * before the API and workers start as a role that may append to the log but never change it, and that cannot
 * create anything: a process finding its schemas up to date only reads schema_migrations. It also makes the
 * platform's evidence-signing key under DATA_DIR/evidence if there is none, so department gateways started next find
 * the platform's public key.
 */
import pg from 'pg';
import { loadConfig } from '../adapters/config/index.ts';
import { createPersistentPlatformSigner } from '../adapters/evidence/index.ts';
import { migrateEvidenceLibrary } from '../adapters/evidence/sql/index.ts';
import { migratePostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import { migrateGateway } from '../adapters/gateway/index.ts';
import { migrateLeases } from '../adapters/lease/index.ts';
import { createPgPool, PG_CONNECT_TIMEOUT_MS } from '../adapters/pg-pool.ts';
import { postgresDriver } from '../adapters/read-store/postgres/index.ts';
import { migrate as migrateReadStore } from '../adapters/read-store/index.ts';
import { tablesFor } from '../adapters/read-store/index.ts';
import { migrateComponent, pgMigrationDriver } from '../adapters/sql-migrations/index.ts';
import { uploadsComponent } from '../adapters/uploads/postgres/index.ts';
import { catalogueComponent } from '../adapters/catalogue-store/index.ts';
import { subjectKeysComponent } from '../adapters/key-store/index.ts';
import { runIfMain } from './run-if-main.ts';

export async function migrate(env: NodeJS.ProcessEnv = process.env, say: (line: string) => void = () => undefined): Promise<void> {
  const config = loadConfig(env);
  if (config.eventStore.kind !== 'postgres') throw new Error('npm run migrate needs DATABASE_URL (PostgreSQL); the embedded default migrates itself on start');
  const pool = createPgPool({ connectionString: config.eventStore.url, max: 2, applicationName: 'errand-migrate' });
  try {
    say('event store');
    await migratePostgresEventStore({ pool });
    if (config.readStore.kind === 'postgres') {
      say('read store');
      const readPool = createPgPool({ connectionString: config.readStore.url, max: 1, applicationName: 'errand-migrate' });
      await migrateReadStore(postgresDriver(readPool, true), tablesFor()).finally(() => readPool.end());
    }
    say('uploads');
    await migrateComponent(pgMigrationDriver(pool), uploadsComponent);
    say('catalogue');
    await migrateComponent(pgMigrationDriver(pool), catalogueComponent);
    say('gateway access log and replay cache');
    await migrateGateway(pool);
    say('leases');
    await migrateLeases(pool);
    say('subject keys');
    await migrateComponent(pgMigrationDriver(pool), subjectKeysComponent);
  } finally {
    await pool.end();
  }
  if (config.evidence.sqlLibraryUrl) {
    // The shared data library's fixed tables; its item tables come with the data (npm run seed-library or the departments' loader).
    say('evidence library');
    const library = new pg.Client({ connectionString: config.evidence.sqlLibraryUrl, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
    await library.connect();
    await migrateEvidenceLibrary(library).finally(() => library.end());
  }
  createPersistentPlatformSigner({ dataDir: config.dataDir });
  say('platform evidence-signing key');
}

runIfMain(import.meta.url, 'migrate', async () => {
  await migrate(process.env, (line) => process.stdout.write(`migrate: ${line}\n`));
  process.stdout.write('migrate: done\n');
  return 0;
});
