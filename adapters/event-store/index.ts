/**
 * The event store port's types and the rules every adapter shares. Each adapter is its own folder with its own
 * index.ts (postgres/, pglite/, eventstoredb/), imported only where it is used, so its client library loads only
 * when configured. Statements, drivers and mapping stay internal to their folders.
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
} from '../../domain/ports/event-store.ts';
export { EventStoreUnreachableError } from '../../domain/ports/event-store.ts';
export { MAX_STREAM_NAME_LENGTH, validateAppend, vouchFor } from './validation.ts';
export type { ValidatedAppend } from './validation.ts';
export { openSubscriptions } from './open-subscriptions.ts';
export { pollingSubscription } from './polling-subscription.ts';
