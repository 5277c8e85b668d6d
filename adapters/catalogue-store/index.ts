/**
 * The catalogue store's in-memory adapter and schema. PostgreSQL and PGlite are each their own folder with its own
 * index.ts, reached through runtime/lazy-adapters.ts, so their client libraries load only when configured.
 */
export type * from '../../domain/ports/catalogue-store.ts';
export { conflictsOf, keyName } from '../../domain/ports/catalogue-store.ts';
export { catalogueComponent } from './migrations.ts';
export { createMemoryCatalogueStore } from './memory-catalogue-store.ts';
