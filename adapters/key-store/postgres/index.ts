import { createPgPool } from '../../pg-pool.ts';
import type { KeyStore, KeyWrapper } from '../../../domain/ports/key-store.ts';
import { migrateComponent, pgMigrationDriver } from '../../sql-migrations/index.ts';
import { subjectKeysComponent } from '../migrations.ts';
import { sqlKeyStore } from '../sql/store.ts';

/**
 * Every key commit waits for the WAL flush. A key is used (and cached) as soon as it is answered; a key committed
 * without the flush and lost in a crash leaves the events sealed with it afterwards unreadable for good
 * (test/int/sealing-crash.int.spec.ts). A new case's keys cost no flush of their own: they are written by its first
 * append (appendWithKeys).
 */
export async function createPostgresKeyStore(options: { connectionString: string; wrapper: KeyWrapper; maxConnections?: number; connectTimeoutMs?: number }): Promise<KeyStore> {
  const pool = createPgPool({ connectionString: options.connectionString, max: options.maxConnections ?? 2, applicationName: 'errand-key-store', connectTimeoutMs: options.connectTimeoutMs });
  const driver = pgMigrationDriver(pool);
  try {
    await migrateComponent(driver, subjectKeysComponent);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return sqlKeyStore('postgres', driver, options.wrapper, () => pool.end());
}
