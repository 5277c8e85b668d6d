import { createPGliteKeyStore } from '../../adapters/key-store/pglite/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { sharedPGlite } from '../support/pglite.ts';
import { createTestDatabase } from '../support/postgres.ts';
import pg from 'pg';
import { keyStoreContract } from './key-store.contract.ts';

keyStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('keys');
  return {
    // As the engine opens it beside the events: keys committed without waiting for the flush, shredding flushed.
    open: (wrapper) => createPostgresKeyStore({ connectionString: database.url, wrapper }),
    async rawTable() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return JSON.stringify((await client.query(`SELECT encode(convert_to(t::text, 'UTF8'), 'escape') AS row FROM subject_keys t`)).rows) +
          JSON.stringify((await client.query(`SELECT encode(wrapped, 'hex') AS hex, encode(wrapped, 'base64') AS b64 FROM subject_keys`)).rows);
      } finally {
        await client.end();
      }
    },
    cleanup: () => database.drop(),
  };
});

keyStoreContract('PGlite', async () => {
  const pglite = await sharedPGlite();
  // A fresh table per test on the run's one instance: the component is migrated again by the next open.
  await pglite.exec('DROP TABLE IF EXISTS subject_keys');
  if ((await pglite.query(`SELECT to_regclass('schema_migrations') AS t`)).rows.some((r) => (r as { t: unknown }).t !== null)) {
    await pglite.exec(`DELETE FROM schema_migrations WHERE component = 'subject-keys'`);
  }
  return {
    open: (wrapper) => createPGliteKeyStore({ pglite, wrapper }),
    async rawTable() {
      const rows = (await pglite.query(`SELECT t::text AS row, encode(wrapped, 'hex') AS hex, encode(wrapped, 'base64') AS b64 FROM subject_keys t`)).rows;
      return JSON.stringify(rows);
    },
    cleanup: async () => undefined,
  };
});
