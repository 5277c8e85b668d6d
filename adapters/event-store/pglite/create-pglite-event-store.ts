import type { PGlite } from '@electric-sql/pglite';
import type { EventStore } from '../../../domain/ports/event-store.ts';
import { migrateEventStore } from '../postgres/migrate.ts';
import { sqlEventStore } from '../postgres/sql-event-store.ts';
import { pgliteDriver } from './pglite-driver.ts';
import { localAppendsOf } from '../local-appends.ts';

/** How often a caught-up subscription on PGlite reads anyway (its appends wake it at once). */
const PGLITE_IDLE_MS = 1_000;
/**
 * A woken subscription reads at most this often: PGlite's one connection also serves the appends, and seven
 * subscriptions reading after every append starved them (raw appends: p50 4 ms -> 45 ms at 50 ms).
 */
const PGLITE_WAKE_GAP_MS = 100;

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
  // One connection, so one append statement at a time: appends that queue behind it go out together. Every append
  // to this database is made in this process (one process per data folder), so subscriptions are woken by them and
  // poll only as a safety net.
  return sqlEventStore(driver, 'pglite', {}, { appends: localAppendsOf(options.pglite), idleMs: PGLITE_IDLE_MS, wakeGapMs: PGLITE_WAKE_GAP_MS });
}
