import { expect } from 'chai';
import pg from 'pg';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore, migratePostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { eventStoreMigrations } from '../../adapters/event-store/postgres/migrations/index.ts';
import { migrateEventStore } from '../../adapters/event-store/postgres/index.ts';
import { pgDriver } from '../../adapters/event-store/postgres/index.ts';
import { appendStatement } from '../../adapters/event-store/postgres/index.ts';
import { START, compareCheckpoints } from '../../domain/events/index.ts';
import { ids, newEvent } from '../contract/event-store.fixtures.ts';
import { sharedPGlite } from '../support/pglite.ts';
import { createTestDatabase, testPool } from '../support/postgres.ts';
import type { TestDatabase } from '../support/postgres.ts';

describe('event store migrations', function () {
  let database: TestDatabase;
  before(async function () {
    database = await createTestDatabase('event_store_migrations');
  });
  after(async function () {
    await database?.drop();
  });

  it('given six runners starting at once on separate connections, then each migration is applied exactly once', async function () {
    const results = await Promise.all(Array.from({ length: 6 }, () => migratePostgresEventStore({ connectionString: database.url })));
    expect(results.flat().sort((a, b) => a - b)).to.deep.equal(eventStoreMigrations.map((m) => m.version));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT version, name FROM schema_migrations WHERE component = 'event-store' ORDER BY version`);
      expect(rows).to.deep.equal(eventStoreMigrations.map(({ version, name }) => ({ version, name })));
    } finally {
      await client.end();
    }
  });

  it('given a migrated database, when a store is created, then nothing is applied again and it works', async function () {
    expect(await migratePostgresEventStore({ connectionString: database.url })).to.deep.equal([]);
    const store = await createPostgresEventStore({ connectionString: database.url, poolSize: 2 });
    try {
      const result = await store.append('migrated', [newEvent()], { expectedRevision: 'no_stream' });
      expect(result.nextRevision).to.equal(0n);
    } finally {
      await store.close();
    }
  });

  it('given PGlite, when two stores are created on one instance, then the second finds the schema in place', async function () {
    // Starting PGlite alone takes over 12 s on a loaded two-core machine.
    this.timeout(90_000);
    const pglite = await sharedPGlite();
    const stores = [await createPGliteEventStore({ pglite }), await createPGliteEventStore({ pglite })];
    const { rows } = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations WHERE component = 'event-store'`);
    expect(rows).to.deep.equal([{ n: eventStoreMigrations.length }]);
    await Promise.all(stores.map((store) => store.close()));
  });
});

describe('event store migration 003: commit-ordered positions', function () {
  let database: TestDatabase;
  before(async function () {
    database = await createTestDatabase('event_store_migration_003');
  });
  after(async function () {
    await database?.drop();
  });

  it('given a log written before 003 with a late commit, then positions follow the old delivery order and every old checkpoint resumes exactly after its event', async function () {
    const pool = testPool(database.url, { max: 4 });
    try {
      await migrateEventStore(pgDriver(pool, false), eventStoreMigrations.filter((m) => m.version <= 2));
      const late = await pool.connect();
      const events = Array.from({ length: 5 }, (_, i) => newEvent('Old', { i }));
      try {
        await pool.query(appendStatement('old-a', 'no_stream', [events[0]!]));
        await late.query('BEGIN');
        await late.query('SELECT pg_current_xact_id()');
        // Takes lower positions but a higher transaction id than the open one: the old delivery order
        // (transaction_id, global_position) puts the late event, appended afterwards, before these two.
        await pool.query(appendStatement('old-b', 'no_stream', [events[2]!, events[3]!]));
        await late.query(appendStatement('old-late', 'no_stream', [events[1]!]));
        await late.query('COMMIT');
      } finally {
        late.release();
      }
      await pool.query(appendStatement('old-c', 'no_stream', [events[4]!]));
      const { rows: legacy } = await pool.query<{ commit: string; prepare: string; id: string }>(
        `SELECT transaction_id::text AS commit, global_position::text AS prepare, event_id::text AS id FROM events ORDER BY transaction_id, global_position`,
      );
      const oldOrder = legacy.map((row) => row.id);
      expect(legacy.map((row) => Number(row.prepare))).to.deep.equal([1, 4, 2, 3, 5]);
      expect(oldOrder).to.deep.equal(ids([events[0]!, events[1]!, events[2]!, events[3]!, events[4]!]));

      const store = await createPostgresEventStore({ pool });
      try {
        const all = await store.readAll(START, 100);
        expect(ids(all)).to.deep.equal(oldOrder);
        expect(all.map((event) => event.position)).to.deep.equal([1n, 2n, 3n, 4n, 5n]);
        // Migration 004 linked the rows it found; the verifier recomputes the same chain from them.
        expect(await store.verifyLog!()).to.deep.include({ ok: true, checked: 5 });
        for (const [index, row] of legacy.entries()) {
          const old = { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
          expect(ids(await store.readAll(old, 100)), `resuming after old checkpoint ${row.commit}/${row.prepare}`).to.deep.equal(oldOrder.slice(index + 1));
          // Projectors drop events whose checkpoint is not above the one they hold: every new one must be above every old one.
          expect(compareCheckpoints(all[0]!.checkpoint, old)).to.equal(1);
        }
        const fresh = newEvent('New');
        await store.append('new-stream', [fresh], { expectedRevision: 'no_stream' });
        const lastOld = legacy.at(-1)!;
        expect(ids(await store.readAll({ commit: BigInt(lastOld.commit), prepare: BigInt(lastOld.prepare) }, 100))).to.deep.equal(ids([fresh]));
      } finally {
        await store.close();
      }
    } finally {
      await pool.end();
    }
  });
});
