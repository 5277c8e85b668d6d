/** The SQL evidence library (pg): a provider over a department's tables, and the seeding tool. Loaded only when configured. */
export { createSqlLibraryProvider } from './sql-library-provider.ts';
export type { SqlLibraryProviderOptions } from './sql-library-provider.ts';
export { seedSqlLibrary } from './seed-sql-library.ts';
export type { SeedOptions, SeedReport } from './seed-sql-library.ts';
export { DEFAULT_LIBRARY_SCHEMA } from './tables.ts';
export { evidenceLibraryComponent, migrateEvidenceLibrary } from './migrations.ts';
