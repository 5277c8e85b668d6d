export type { Doc, FieldFilter, FindQuery, FindResult, ReadStore, ReadStoreTransaction, Scalar } from './port.ts';
export { FencedWriteError } from './fence.ts';
export { InvalidQueryError } from './query.ts';
export { createPostgresReadStore, type PostgresReadStoreOptions } from './postgres/index.ts';
export { createPGliteReadStore, type PGliteReadStoreOptions } from './pglite/index.ts';
export { createMongoReadStore, type MongoReadStoreOptions } from './mongo/index.ts';
export { assertMongoReachable, MongoUnreachableError } from './mongo/reachable.ts';
export { createMemoryReadStore } from './memory/index.ts';
