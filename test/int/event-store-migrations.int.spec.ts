import { expect } from 'chai';
import pg from 'pg';
import { createPGliteEventStore, createPostgresEventStore, migratePostgresEventStore } from '../../adapters/event-store/index.ts';
import { eventStoreMigrations } from '../../adapters/event-store/postgres/migrations/index.ts';
import { newEvent } from '../contract/event-store.fixtures.ts';
import { sharedPGlite } from '../support/pglite.ts';
import { createTestDatabase } from '../support/postgres.ts';
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
    const pglite = await sharedPGlite();
    const stores = [await createPGliteEventStore({ pglite }), await createPGliteEventStore({ pglite })];
    const { rows } = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations WHERE component = 'event-store'`);
    expect(rows).to.deep.equal([{ n: eventStoreMigrations.length }]);
    await Promise.all(stores.map((store) => store.close()));
  });
});
