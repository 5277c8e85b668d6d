import pg from 'pg';
import type { KeyStore, KeyWrapper } from '../../../domain/ports/key-store.ts';
import { migrateComponent, pgMigrationDriver } from '../../sql-migrations/index.ts';
import { subjectKeysComponent } from '../migrations.ts';
import { flushed, sqlKeyStore } from '../sql/store.ts';

/**
 * `sharesEventsDatabase`: the events are appended to this same PostgreSQL. Keys are then committed without waiting
 * for the WAL flush (synchronous_commit off), which an append commit otherwise pays once per new case: the append
 * that uses a key commits after it, and its own flush makes everything written before it durable, the key included.
 * Shredding and re-wrapping end with a flushed commit. On any other server keys commit synchronously.
 */
export async function createPostgresKeyStore(options: { connectionString: string; wrapper: KeyWrapper; maxConnections?: number; sharesEventsDatabase?: boolean }): Promise<KeyStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 2,
    ...(options.sharesEventsDatabase ? { options: '-c synchronous_commit=off' } : {}),
  });
  pool.on('error', () => undefined);
  const driver = pgMigrationDriver(pool);
  try {
    await migrateComponent(driver, subjectKeysComponent);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return sqlKeyStore('postgres', driver, options.wrapper, () => pool.end(), options.sharesEventsDatabase ? flushed : undefined);
}
