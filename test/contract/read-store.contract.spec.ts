import mongoose from 'mongoose';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { createMongoReadStore } from '../../adapters/read-store/mongo/index.ts';
import { createPGliteReadStore } from '../../adapters/read-store/pglite/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { sharedPGlite } from '../support/pglite.ts';
import { createTestDatabase, testPool } from '../support/postgres.ts';
import { requireEnv } from '../support/skip.ts';
import { readStoreContract } from './read-store-contract.ts';

readStoreContract('memory', async () => ({ store: createMemoryReadStore(), cleanup: async () => {} }));

readStoreContract('postgres', async () => {
  const db = await createTestDatabase('read_store');
  return { store: createPostgresReadStore({ connectionString: db.url }), cleanup: () => db.drop() };
});

readStoreContract('postgres (shared pool, own schema)', async () => {
  const db = await createTestDatabase('read_store_pool');
  const pool = testPool(db.url, { max: 3 });
  return {
    store: createPostgresReadStore({ pool, schema: 'views' }),
    cleanup: async () => {
      await pool.end();
      await db.drop();
    },
  };
});

readStoreContract('pglite', async () => {
  // The PGlite instance is shared with other suites: a schema of our own, dropped afterwards, touches nothing of theirs.
  const pglite = await sharedPGlite();
  const schema = `read_store_contract_${process.pid}`;
  return {
    store: createPGliteReadStore({ pglite, schema }),
    cleanup: async () => {
      // Its migration history lives in the shared schema_migrations, so it goes too.
      await pglite.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DELETE FROM schema_migrations WHERE component = 'read-store:${schema}'`);
    },
  };
});

const mongoUrl = requireEnv('MONGO_URL', 'ReadStore contract: mongodb');
if (mongoUrl) {
  readStoreContract('mongodb', async () => {
    const prefix = `read_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
    return {
      store: createMongoReadStore({ url: mongoUrl, collectionPrefix: prefix }),
      cleanup: async () => {
        const connection = await mongoose.createConnection(mongoUrl).asPromise();
        try {
          for (const suffix of ['docs', 'checkpoints', 'meta', 'fences']) await connection.db?.dropCollection(`${prefix}${suffix}`).catch(() => false);
        } finally {
          await connection.close();
        }
      },
    };
  });
}
