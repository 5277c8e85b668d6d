import { PGlite } from '@electric-sql/pglite';
import { createMemoryCatalogueStore } from '../../adapters/catalogue-store/index.ts';
import { createPGliteCatalogueStore } from '../../adapters/catalogue-store/pglite/index.ts';
import { createPostgresCatalogueStore } from '../../adapters/catalogue-store/postgres/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { catalogueStoreContract } from './catalogue-store.contract.ts';

catalogueStoreContract('memory', async () => ({
  store: createMemoryCatalogueStore(),
  another: async () => null,
  async cleanup() {},
}));

catalogueStoreContract('PGlite', async () => {
  const pglite = new PGlite();
  const store = await createPGliteCatalogueStore({ pglite });
  return {
    store,
    another: () => createPGliteCatalogueStore({ pglite }),
    async cleanup() {
      await pglite.close();
    },
  };
});

catalogueStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('catalogue');
  const store = await createPostgresCatalogueStore({ connectionString: database.url });
  return {
    store,
    another: () => createPostgresCatalogueStore({ connectionString: database.url }),
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});
