import { createPgPool } from '../../pg-pool.ts';
import type { CatalogueStore } from '../../../domain/ports/catalogue-store.ts';
import { migrateComponent, pgMigrationDriver } from '../../sql-migrations/index.ts';
import { catalogueComponent } from '../migrations.ts';
import { sqlCatalogueStore } from '../sql/store.ts';

/** In the events' PostgreSQL database (DATABASE_URL): every API and worker process reads the same catalogue. */
export async function createPostgresCatalogueStore(options: { connectionString: string; maxConnections?: number; connectTimeoutMs?: number }): Promise<CatalogueStore> {
  const pool = createPgPool({ connectionString: options.connectionString, max: options.maxConnections ?? 2, applicationName: 'errand-catalogue', connectTimeoutMs: options.connectTimeoutMs });
  const driver = pgMigrationDriver(pool);
  try {
    await migrateComponent(driver, catalogueComponent);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return sqlCatalogueStore('postgres', driver, () => pool.end());
}
