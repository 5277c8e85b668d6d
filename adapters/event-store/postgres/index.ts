/** The PostgreSQL event store: loaded by the composition root only when DATABASE_URL selects it. */
export { createPostgresEventStore, migratePostgresEventStore } from './create-postgres-event-store.ts';
export type { PostgresEventStoreOptions } from './create-postgres-event-store.ts';
