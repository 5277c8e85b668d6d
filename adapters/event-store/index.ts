/**
 * The event store port and its adapters. Statements, drivers and mapping stay internal to their folders.
 *
 * Schema: createPostgresEventStore and createPGliteEventStore apply pending migrations before they return (pass
 * `migrate: false` to skip); migratePostgresEventStore does the same as a separate deploy step. Both record applied
 * versions in schema_migrations under component 'event-store' and hold an advisory lock on PostgreSQL, so several
 * processes starting at once apply each migration once. EventStoreDB has no schema to migrate.
 *
 * Delivery: on PostgreSQL/PGlite appends number their events under one lock held to commit, so positions become
 * visible in order and readAll/subscribe read `position > checkpoint`: a late commit is never skipped, and nobody
 * else's open transaction delays delivery (migration 003).
 */
export type {
  AppendOptions,
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  LogFault,
  LogHeadStore,
  LogVerdict,
  TrustedHead,
  ReadStreamOptions,
  StoredLogHead,
  SubscribeOptions,
  Subscription,
} from './port.ts';
export { createPostgresEventStore, migratePostgresEventStore } from './postgres/create-postgres-event-store.ts';
export type { PostgresEventStoreOptions } from './postgres/create-postgres-event-store.ts';
export { createPGliteEventStore } from './pglite/create-pglite-event-store.ts';
export type { PGliteEventStoreOptions } from './pglite/create-pglite-event-store.ts';
export { createEventStoreDBEventStore, EventStoreUnreachableError } from './eventstoredb/create-eventstoredb-event-store.ts';
export type { EventStoreDBEventStoreOptions } from './eventstoredb/create-eventstoredb-event-store.ts';
export { MAX_STREAM_NAME_LENGTH, validateAppend } from './validation.ts';
