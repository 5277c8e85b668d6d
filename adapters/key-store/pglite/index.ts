import type { PGlite } from '@electric-sql/pglite';
import type { KeyStore, KeyWrapper } from '../../../domain/ports/key-store.ts';
import { pgliteDriver } from '../../read-store/pglite/index.ts';
import { migrateComponent } from '../../sql-migrations/index.ts';
import { subjectKeysComponent } from '../migrations.ts';
import { sqlKeyStore } from '../sql/store.ts';

/** In the embedded database; the instance belongs to the caller. */
export async function createPGliteKeyStore(options: { pglite: PGlite; wrapper: KeyWrapper }): Promise<KeyStore> {
  const driver = pgliteDriver(options.pglite);
  await migrateComponent(driver, subjectKeysComponent);
  return sqlKeyStore('pglite', driver, options.wrapper, async () => undefined);
}
