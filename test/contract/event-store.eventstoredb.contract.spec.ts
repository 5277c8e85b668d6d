import { createEventStoreDBEventStore } from '../../adapters/event-store/eventstoredb/index.ts';
import { requireEnv } from '../support/skip.ts';
import { eventStoreContract } from './event-store.contract.ts';

const url = requireEnv('EVENTSTORE_URL', 'EventStore contract: EventStoreDB');

if (url) {
  eventStoreContract('EventStoreDB', async () => {
    const store = await createEventStoreDBEventStore({ connectionString: url });
    await store.ping();
    return {
      store,
      async dispose() {
        await store.close();
      },
    };
  });
}
