/** The PostgreSQL event store: loaded by the composition root only when DATABASE_URL selects it. */
export { createPostgresEventStore, eventStorePool, migratePostgresEventStore } from './create-postgres-event-store.ts';
export type { PostgresEventStoreOptions } from './create-postgres-event-store.ts';
export { restartPositionsStatement } from './sql/restart-positions.ts';
export { truncateStatement } from './sql/truncate.ts';
export { appendStatement } from './sql/append.ts';
export { GENESIS_LINK, LogVerifier, entryHash, eventDigest, nextLink } from './log-chain.ts';
export type { StoredEntry, TrustedHead } from './log-chain.ts';
export { migrateEventStore } from './migrate.ts';
export { pgDriver } from './pg-driver.ts';
export { appendBatch } from './append.ts';
export type { SqlRunner, SqlStatement } from './runner.ts';
