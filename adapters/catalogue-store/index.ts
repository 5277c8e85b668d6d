export type * from './port.ts';
export { conflictsOf, keyName } from './port.ts';
export { catalogueComponent } from './migrations.ts';
export { createMemoryCatalogueStore } from './memory-catalogue-store.ts';
export { createPGliteCatalogueStore, createPostgresCatalogueStore } from './sql-catalogue-store.ts';
