import type { PGlite } from '@electric-sql/pglite';
import type { EventStore } from '../port.ts';
import { migrateEventStore } from '../postgres/migrate.ts';
import { APPEND_BATCH_LIMIT, sqlEventStore } from '../postgres/sql-event-store.ts';
import { pgliteDriver } from './pglite-driver.ts';

export interface PGliteEventStoreOptions {
  /** A ready or starting PGlite instance; close() leaves it open for its owner. */
  pglite: PGlite;
  /** Run migrations before returning. Default true. */
  migrate?: boolean;
}

/** The PostgreSQL schema and statements on PGlite (embedded, in memory or on disk). Migrates on create. */
export async function createPGliteEventStore(options: PGliteEventStoreOptions): Promise<EventStore> {
  await options.pglite.waitReady;
  const driver = pgliteDriver(options.pglite);
  if (options.migrate !== false) await migrateEventStore(driver);
  // One connection: appends that queue behind a running one go out together.
  return sqlEventStore(driver, 'pglite', { maxInFlight: 1, maxBatch: APPEND_BATCH_LIMIT });
}
