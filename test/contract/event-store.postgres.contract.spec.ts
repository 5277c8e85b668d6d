import pg from 'pg';
import type { NewEvent } from '../../domain/events/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/index.ts';
import { appendStatement } from '../../adapters/event-store/postgres/sql/append.ts';
import { restartPositionsStatement } from '../../adapters/event-store/postgres/sql/restart-positions.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { eventStoreContract } from './event-store.contract.ts';

eventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('event_store_contract');
  const store = await createPostgresEventStore({ connectionString: database.url, poolSize: 12 });
  return {
    store,
    async beginLateAppend(stream: string, events: NewEvent[]) {
      const client = new pg.Client({ connectionString: database.url });
      // A failed test may leave it open until the database is dropped; that must not crash the run.
      client.on('error', () => {});
      await client.connect();
      await client.query('BEGIN');
      // Forces a transaction id now, so this transaction is older than the append that will commit before it.
      await client.query(appendStatement(stream, 'any', events));
      return {
        async commit() {
          try {
            await client.query('COMMIT');
          } finally {
            await client.end();
          }
        },
      };
    },
    async storeWithPositionsFrom(next: bigint) {
      const fresh = await createTestDatabase('event_store_positions');
      const pool = new pg.Pool({ connectionString: fresh.url, max: 2 });
      const freshStore = await createPostgresEventStore({ pool });
      await pool.query(restartPositionsStatement(next).text);
      return {
        store: freshStore,
        async dispose() {
          await freshStore.close();
          await pool.end();
          await fresh.drop();
        },
      };
    },
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
});
