import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { restartPositionsStatement } from '../../adapters/event-store/postgres/index.ts';
import { truncateStatement } from '../../adapters/event-store/postgres/index.ts';
import { sharedPGlite } from '../support/pglite.ts';
import { eventStoreContract } from './event-store.contract.ts';

eventStoreContract('PGlite', async () => {
  const pglite = await sharedPGlite();
  const store = await createPGliteEventStore({ pglite });
  // The instance is shared by the whole run: start from an empty log whatever ran before.
  await pglite.exec(truncateStatement().text);
  return {
    store,
    // PGlite has one connection, so no transaction can stay open beside the store's own work: no beginLateAppend.
    async storeWithPositionsFrom(next) {
      await pglite.exec(truncateStatement().text);
      await pglite.exec(restartPositionsStatement(next).text);
      return {
        store,
        async dispose() {
          await pglite.exec(truncateStatement().text);
        },
      };
    },
    async dispose() {
      await store.close();
    },
  };
});
