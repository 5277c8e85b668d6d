/**
 * The read store port's types, its shared rules and the in-memory store. PostgreSQL, PGlite and MongoDB are each
 * their own folder with its own index.ts, imported only where used, so their client libraries load only when configured.
 */
export type { Doc, FieldFilter, FindQuery, FindResult, ReadStore, ReadStoreTransaction, Scalar } from '../../domain/ports/read-store.ts';
export { MongoUnreachableError } from '../../domain/ports/read-store.ts';
export { FencedWriteError } from './fence.ts';
export { InvalidQueryError } from './query.ts';
export { createMemoryReadStore } from './memory/index.ts';
export { migrate, readStoreComponent } from './sql/migrate.ts';
export { tablesFor } from './sql/tables.ts';
