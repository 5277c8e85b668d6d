export type * from './types.ts';
export { buildDataCatalogue } from './data-catalogue.ts';
export type { DataCatalogue, DataCatalogueDocument } from './data-catalogue.ts';
export { CatalogueError } from './result.ts';
export type { Validated } from './result.ts';
export { sharingDecision } from './sharing.ts';
export type { DataConsumer, SharingDecision } from './sharing.ts';
