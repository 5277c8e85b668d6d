import type { PGlite } from '@electric-sql/pglite';
import type { CatalogueStore } from '../../../domain/ports/catalogue-store.ts';
import { pgliteDriver } from '../../read-store/pglite/index.ts';
import { migrateComponent } from '../../sql-migrations/index.ts';
import { catalogueComponent } from '../migrations.ts';
import { sqlCatalogueStore } from '../sql/store.ts';

/** In the embedded database; the instance belongs to the caller. */
export async function createPGliteCatalogueStore(options: { pglite: PGlite }): Promise<CatalogueStore> {
  const driver = pgliteDriver(options.pglite);
  await migrateComponent(driver, catalogueComponent);
  return sqlCatalogueStore('pglite', driver, async () => undefined);
}
