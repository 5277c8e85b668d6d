import type pg from 'pg';
import { createPgPool } from '../../pg-pool.ts';
import type { EventStore } from '../../../domain/ports/event-store.ts';
import { migrateEventStore } from './migrate.ts';
import { pgDriver } from './pg-driver.ts';
import { sqlEventStore } from './sql-event-store.ts';

export interface PostgresEventStoreOptions {
  connectionString?: string;
  /** A pool you own: the store uses it and leaves ending it to you. */
  pool?: pg.Pool;
  /** Size of the pool the store creates from connectionString. Default 10. */
  poolSize?: number;
  /** How long opening a connection, or waiting for a free one, may take when the store makes its own pool (default 30 s). */
  connectTimeoutMs?: number;
  /**
   * How many append statements run at once (default 1). Appends arriving while all are busy queue and go out together
   * in one transaction (group commit), which is what lets many concurrent writers approach raw insert speed.
   */
  appendConcurrency?: number;
  /**
   * Settle each new connection's server heap before its first query (adapters/pg-pool.ts). Default true; turn it off
   * behind a proxy that hands each transaction to another server connection, and settle there instead (README).
   */
  settleHeap?: boolean;
  /** Run migrations before returning. Default true; turn off when a deploy step runs migratePostgresEventStore. */
  migrate?: boolean;
}

/** PostgreSQL 13+ through a pg Pool. Migrates the schema on create unless `migrate: false`. */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore> {
  const driver = pgDriver(eventStorePool(options), !options.pool);
  try {
    if (options.migrate !== false) await migrateEventStore(driver);
  } catch (error) {
    await driver.end();
    throw error;
  }
  return sqlEventStore(driver, 'postgres', options.appendConcurrency === undefined ? {} : { maxInFlight: options.appendConcurrency });
}

/** Applies pending event store migrations and returns their versions; safe to run from several processes at once. */
export async function migratePostgresEventStore(options: { connectionString?: string; pool?: pg.Pool; connectTimeoutMs?: number }): Promise<number[]> {
  const driver = pgDriver(eventStorePool({ ...options, poolSize: 1 }), !options.pool);
  try {
    return (await migrateEventStore(driver)).applied;
  } finally {
    await driver.end();
  }
}

/** The caller's pool, or one of the store's own whose connections settle their backend's heap (adapters/pg-pool.ts). */
export function eventStorePool(options: PostgresEventStoreOptions): pg.Pool {
  if (options.pool) return options.pool;
  if (!options.connectionString) throw new TypeError('createPostgresEventStore needs connectionString or pool');
  return createPgPool({ connectionString: options.connectionString, max: options.poolSize ?? 10, applicationName: 'errand-event-store', connectTimeoutMs: options.connectTimeoutMs, settleHeap: options.settleHeap ?? true });
}
