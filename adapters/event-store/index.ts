/** The event store port and its adapters. Statements, drivers and mapping stay internal to their folders. */
export type {
  AppendOptions,
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from './port.ts';
export { createPostgresEventStore, migratePostgresEventStore } from './postgres/create-postgres-event-store.ts';
export type { PostgresEventStoreOptions } from './postgres/create-postgres-event-store.ts';
export { createPGliteEventStore } from './pglite/create-pglite-event-store.ts';
export type { PGliteEventStoreOptions } from './pglite/create-pglite-event-store.ts';
export { createEventStoreDBEventStore } from './eventstoredb/create-eventstoredb-event-store.ts';
export type { EventStoreDBEventStoreOptions } from './eventstoredb/create-eventstoredb-event-store.ts';
export { MAX_STREAM_NAME_LENGTH, validateAppend } from './validation.ts';
