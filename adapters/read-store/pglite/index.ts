import type { PGlite } from '@electric-sql/pglite';
import type { ReadStore } from '../../../domain/ports/read-store.ts';
import { createSqlReadStore } from '../sql/sql-read-store.ts';
import { pgliteDriver } from './driver.ts';

export interface PGliteReadStoreOptions {
  pglite: PGlite;
  /** Tables go into this schema (created when missing), e.g. to share one instance between suites. */
  schema?: string;
}

/** The PostgreSQL read store's SQL on an embedded PGlite; close() leaves the instance open for its other users. */
export function createPGliteReadStore(options: PGliteReadStoreOptions): ReadStore {
  return createSqlReadStore(pgliteDriver(options.pglite), { schema: options.schema, ownsConnection: false });
}
export { pgliteDriver } from './driver.ts';
