export { advisoryXactLock, MIGRATION_LOCK } from './advisory-lock.ts';
export type { Component, Migration } from './component.ts';
export type { MigrationDriver, MigrationSession } from './driver.ts';
export { pgMigrationDriver } from './pg-driver.ts';
export { MIGRATIONS_TABLE, migrateComponent, relationExists, SchemaAheadError } from './runner.ts';
