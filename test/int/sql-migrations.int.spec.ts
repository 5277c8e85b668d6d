import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { evidenceLibraryComponent, migrateEvidenceLibrary } from '../../adapters/evidence/sql/index.ts';
import { migratePostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { eventStoreMigrations } from '../../adapters/event-store/postgres/migrations/index.ts';
import { gatewayComponent, migrateGateway } from '../../adapters/gateway/index.ts';
import { leasesComponent, migrateLeases } from '../../adapters/lease/index.ts';
import { pgliteDriver } from '../../adapters/read-store/pglite/index.ts';
import { postgresDriver } from '../../adapters/read-store/postgres/index.ts';
import { migrate as migrateReadStore, readStoreComponent } from '../../adapters/read-store/index.ts';
import { tablesFor } from '../../adapters/read-store/index.ts';
import { migrateComponent, pgMigrationDriver, SchemaAheadError, type Component } from '../../adapters/sql-migrations/index.ts';
import { uploadsComponent } from '../../adapters/uploads/postgres/index.ts';
import { subjectKeysComponent } from '../../adapters/key-store/index.ts';
import { migrate } from '../../scripts/migrate.ts';
import { createTestDatabase, testPool, type TestDatabase } from '../support/postgres.ts';
import { createLegacySchema, schemaSnapshot } from './sql-migrations.legacy-schema.ts';

const HASH = 'a'.repeat(64);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function history(client: pg.Client): Promise<unknown[]> {
  return (await client.query('SELECT component, version, name FROM schema_migrations ORDER BY component, version')).rows;
}

/** Every component through the shared runner, as a pool-backed process would. */
async function migrateAll(pool: pg.Pool): Promise<Record<string, number[]>> {
  return {
    'event-store': await migratePostgresEventStore({ pool }),
    'read-store': await migrateReadStore(postgresDriver(pool, false), tablesFor()),
    uploads: await migrateComponent(pgMigrationDriver(pool), uploadsComponent),
    gateway: await migrateGateway(pool),
    leases: await migrateLeases(pool),
    'evidence-library': await migrateEvidenceLibrary(pool),
  };
}

describe('one migration runner (adapters/sql-migrations)', function () {
  this.timeout(120_000);
  const databases: TestDatabase[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-migrations-'));
  const fresh = async (label: string) => {
    const database = await createTestDatabase(label);
    databases.push(database);
    return database;
  };
  after(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a fresh database and one made by the previous code (old per-store tables, older versions), when `npm run migrate` runs on both, then they end in the same schema and history, and the old rows are kept', async () => {
    const [freshDb, oldDb] = [await fresh('mig_fresh'), await fresh('mig_upgraded')];
    const old = await connect(oldDb.url);
    const clean = await connect(freshDb.url);
    try {
      await createLegacySchema(old, { eventStore: 3, readStore: 2 });
      await old.query(`INSERT INTO uploads (sha256, size, bytes) VALUES ($1, 1, '\\x01')`, [HASH]);
      await old.query(`INSERT INTO read_docs (collection, id, doc) VALUES ('cases', 'c1', '{}')`);
      await old.query(`INSERT INTO gateway_access_log (at, department, result, status, verified, fields) VALUES (now(), 'PSB', 'found', 200, true, '{}')`);

      for (const database of [freshDb, oldDb]) await migrate({ DATABASE_URL: database.url, EVIDENCE_SQL_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

      expect(await schemaSnapshot(old)).to.deep.equal(await schemaSnapshot(clean));
      expect(await history(old)).to.deep.equal(await history(clean));
      const components = new Set((await history(clean)).map((row) => (row as { component: string }).component));
      expect([...components].sort()).to.deep.equal(['catalogue', 'event-store', 'evidence-library', 'gateway', 'leases', 'read-store', 'subject-keys', 'uploads']);
      // The adopted versions' DDL did not run again (it would have failed on the existing tables, or emptied them).
      expect((await old.query('SELECT sha256 FROM uploads')).rows).to.deep.equal([{ sha256: HASH }]);
      expect((await old.query(`SELECT count(*)::int AS n FROM read_docs`)).rows[0].n).to.equal(1);
      expect((await old.query(`SELECT count(*)::int AS n FROM gateway_access_log`)).rows[0].n).to.equal(1);
      const legacy = await old.query(`SELECT to_regclass('read_store_migrations') AS r, to_regclass('upload_store_migrations') AS u`);
      expect(legacy.rows[0]).to.deep.equal({ r: null, u: null });
    } finally {
      await Promise.all([old.end(), clean.end()]);
    }
  });

  it('given an up-to-date database, when a role that may not create anything runs every component, then nothing is applied and nothing fails; with one version missing it is refused', async () => {
    const database = await fresh('mig_readonly');
    const role = `errand_mig_ro_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const owner = await connect(database.url);
    const pool = testPool(database.url, { max: 2 });
    await migrateAll(pool);
    await pool.end();
    await owner.query(`CREATE ROLE ${role} LOGIN`);
    const url = new URL(database.url);
    url.username = role;
    const restricted = testPool(url.toString(), { max: 2 });
    try {
      await owner.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON schema_migrations TO ${role}`);
      expect(await migrateAll(restricted)).to.deep.equal({ 'event-store': [], 'read-store': [], uploads: [], gateway: [], leases: [], 'evidence-library': [] });

      await owner.query(`DELETE FROM schema_migrations WHERE component = 'leases'`);
      const refused = await migrateLeases(restricted).then(() => null, (error: Error & { code?: string }) => error);
      expect(refused?.code).to.equal('42501');
    } finally {
      await restricted.end();
      await owner.end();
      await database.drop();
      const admin = await connect(new URL('/postgres', database.url).toString());
      await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
    }
  });

  it('given every component migrating from several processes at once on a fresh database, then each version is applied exactly once', async () => {
    const database = await fresh('mig_race');
    const pools = Array.from({ length: 3 }, () => testPool(database.url, { max: 2 }));
    try {
      const runs = await Promise.all(pools.map((pool) => migrateAll(pool)));
      const applied = (name: string) => runs.flatMap((run) => run[name]!).sort((a, b) => a - b);
      expect(applied('event-store')).to.deep.equal(eventStoreMigrations.map((m) => m.version));
      expect(applied('gateway')).to.deep.equal([1, 2, 3]);
      expect(applied('leases')).to.deep.equal([1]);
      expect(applied('uploads')).to.deep.equal([1, 2, 3]);
      expect(applied('read-store')).to.deep.equal([1, 2, 3, 4]);
      expect(applied('evidence-library')).to.deep.equal([1]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('given PGlite with a read store made by the previous code, when every component migrates, then the old versions are adopted, the rest applied, and a second run applies nothing', async () => {
    const pglite = new PGlite();
    try {
      const tables = tablesFor();
      await pglite.exec(`CREATE TABLE ${tables.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
                         INSERT INTO ${tables.migrations} (version, name) VALUES (1, 'initial');`);
      await pglite.exec(readStoreComponent(tables).migrations[0]!.sql);
      const driver = pgliteDriver(pglite);
      const components: Component[] = [readStoreComponent(tables), uploadsComponent, gatewayComponent, leasesComponent, evidenceLibraryComponent()];
      const first = [];
      for (const component of components) first.push(await migrateComponent(driver, component));
      expect(first).to.deep.equal([[2, 3, 4], [1, 2, 3], [1, 2, 3], [1], [1]]);
      const again = [];
      for (const component of components) again.push(await migrateComponent(driver, component));
      expect(again).to.deep.equal([[], [], [], [], []]);
      const { rows } = await pglite.query(`SELECT version FROM schema_migrations WHERE component = 'read-store' ORDER BY version`);
      expect(rows).to.deep.equal([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
    } finally {
      await pglite.close();
    }
  });

  describe('a release started against a schema a newer release moved ahead', () => {
    const step = (table: string, version: number, breaksOlderReleases = false) => ({
      version,
      name: `step ${version}`,
      sql: `CREATE TABLE ${table}_${version} (id int)`,
      ...(breaksOlderReleases ? { breaksOlderReleases } : {}),
    });
    const component = (name: string, ...migrations: ReturnType<typeof step>[]): Component => ({ name, migrations });
    const migrateWith = (pool: pg.Pool, target: Component) => migrateComponent(pgMigrationDriver(pool), target);
    async function inFreshDatabase(label: string, work: (pool: pg.Pool) => Promise<void>): Promise<void> {
      const pool = testPool((await fresh(label)).url);
      try {
        await work(pool);
      } finally {
        await pool.end();
      }
    }
    const historySize = async (pool: pg.Pool) => (await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n as number;

    it('given a newer release applied a step that breaks older ones, when this release starts, then it refuses, naming the step, and writes nothing', async () => {
      await inFreshDatabase('migrations_ahead', async (pool) => {
        expect(await migrateWith(pool, component('ahead', step('ahead', 1), step('ahead', 2, true)))).to.deep.equal([1, 2]);
        const before = await historySize(pool);
        const failed = await migrateWith(pool, component('ahead', step('ahead', 1))).then(() => null, (error: unknown) => error);
        expect(failed).to.be.instanceOf(SchemaAheadError);
        expect(await historySize(pool)).to.equal(before);
        expect(String(failed)).to.match(/ahead schema is ahead of this release: migration 2 \(step 2\)/);
        // The newer release itself still starts.
        expect(await migrateWith(pool, component('ahead', step('ahead', 1), step('ahead', 2, true)))).to.deep.equal([]);
      });
    });

    it('given the subject keys migrated by this release (events sealed with XChaCha20-Poly1305), when a release that seals only with AES-256-GCM starts, then it refuses instead of reading every sealed value as null', async () => {
      await inFreshDatabase('migrations_ahead_xc20p', async (pool) => {
        await migrateWith(pool, subjectKeysComponent);
        const gcmOnly = { ...subjectKeysComponent, migrations: subjectKeysComponent.migrations.filter((m) => m.version <= 2) };
        const failed = await migrateWith(pool, gcmOnly).then(() => null, (error: unknown) => error);
        expect(failed).to.be.instanceOf(SchemaAheadError);
        expect(String(failed)).to.match(/subject-keys schema is ahead of this release: migration 3 \(events sealed with XChaCha20-Poly1305\)/);
      });
    });

    it('given a newer release applied only steps older ones can live with, when this release starts, then it starts as before', async () => {
      await inFreshDatabase('migrations_ahead_ok', async (pool) => {
        await migrateWith(pool, component('additive', step('additive', 1), step('additive', 2)));
        expect(await migrateWith(pool, component('additive', step('additive', 1)))).to.deep.equal([]);
      });
    });

    it('given a history table made before steps could say they break older releases, then it is read as before, and the next step applied records whether it does', async () => {
      await inFreshDatabase('migrations_ahead_legacy', async (pool) => {
        await pool.query(`CREATE TABLE schema_migrations (component text NOT NULL, version integer NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version));
                          INSERT INTO schema_migrations (component, version, name) VALUES ('legacy', 1, 'step 1'); CREATE TABLE legacy_1 (id int);`);
        expect(await migrateWith(pool, component('legacy', step('legacy', 1)))).to.deep.equal([]);
        expect(await migrateWith(pool, component('legacy', step('legacy', 1), step('legacy', 2, true)))).to.deep.equal([2]);
        const rows = (await pool.query('SELECT version, breaks_older FROM schema_migrations WHERE component = $1 ORDER BY version', ['legacy'])).rows;
        expect(rows).to.deep.equal([{ version: 1, breaks_older: false }, { version: 2, breaks_older: true }]);
        expect(await migrateWith(pool, component('legacy', step('legacy', 1))).then(() => 'started', (error: unknown) => (error as Error).name)).to.equal('SchemaAheadError');
      });
    });
  });
});
