import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from '../adapters/config/index.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { KeyStore } from '../adapters/key-store/index.ts';
import { openPrivacy } from './privacy.ts';
import type { SealingEventStore } from '../adapters/privacy/sealing-event-store.ts';
import type { PersonalDataMarks } from '../domain/privacy/personal-data.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { assertMongoReachable, createEventStoreDBEventStore, createMongoReadStore, createPGlite, createPGliteEventStore, createPGliteReadStore, createPostgresEventStore, createPostgresReadStore } from './lazy-adapters.ts';
import type { CatalogueStore } from '../domain/ports/catalogue-store.ts';
import { createMemoryCatalogueStore } from '../adapters/catalogue-store/index.ts';
import { createPGliteCatalogueStore, createPostgresCatalogueStore } from './lazy-adapters.ts';

export interface Stores {
  /** Seals personal values before append and opens them after read (adapters/privacy); `.inner` stores as is. */
  eventStore: SealingEventStore;
  /** The subject keys the event store seals under. */
  keys: KeyStore;
  readStore: ReadStore;
  /**
   * Services, bundles and the data catalogue as the city runs them: in the events' PostgreSQL database, else the
   * embedded one, else the read models' PostgreSQL; with EventStoreDB and MongoDB alone, this process's memory.
   */
  catalogueStore: CatalogueStore;
  /** The embedded database, when one is used; both stores share it (PGlite has one connection and serializes). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

/**
 * Opens the event and read stores the configuration names; the embedded default keeps both in DATA_DIR/pglite.
 * Only the selected adapters are imported (lazy-adapters.ts).
 */
export async function openStores(
  config: Pick<Config, 'eventStore' | 'readStore' | 'dataDir' | 'privacy'>,
  options: { pglite?: PGlite; marks?: PersonalDataMarks } = {},
): Promise<Stores> {
  let pglite: PGlite | null = options.pglite ?? null;
  let lock: FolderLock | null = null;
  const embedded = async (): Promise<PGlite> => {
    if (!pglite) {
      const dir = resolve(join(config.dataDir, 'pglite'));
      mkdirSync(dir, { recursive: true });
      lock = lockFolder(dir);
      pglite = await createPGlite(dir);
    }
    await pglite.waitReady;
    return pglite;
  };

  // A MongoDB that does not answer stops the start before anything else is opened (MongoUnreachableError).
  if (config.readStore.kind === 'mongodb') await assertMongoReachable(config.readStore.url);

  const rawEventStore: EventStore =
    config.eventStore.kind === 'postgres'
      ? await createPostgresEventStore({ connectionString: config.eventStore.url, settleHeap: config.eventStore.settleHeap })
      : config.eventStore.kind === 'eventstoredb'
        ? await createEventStoreDBEventStore({ connectionString: config.eventStore.url })
        : await createPGliteEventStore({ pglite: await embedded() });

  const { eventStore, keys } = await openPrivacy(config, rawEventStore, embedded, options.marks);

  const readStore =
    config.readStore.kind === 'postgres'
      ? await createPostgresReadStore({ connectionString: config.readStore.url })
      : config.readStore.kind === 'mongodb'
        ? await createMongoReadStore({ url: config.readStore.url })
        : await createPGliteReadStore({ pglite: await embedded() });

  const catalogueStore =
    config.eventStore.kind === 'postgres'
      ? await createPostgresCatalogueStore({ connectionString: config.eventStore.url })
      : pglite
        ? await createPGliteCatalogueStore({ pglite })
        : config.readStore.kind === 'postgres'
          ? await createPostgresCatalogueStore({ connectionString: config.readStore.url })
          : createMemoryCatalogueStore();

  const ownsPglite = !options.pglite;
  return {
    eventStore,
    keys,
    readStore,
    catalogueStore,
    pglite,
    async close() {
      await Promise.allSettled([eventStore.close(), readStore.close(), catalogueStore.close(), keys.close()]);
      if (ownsPglite && pglite) await pglite.close();
      lock?.release();
    },
  };
}
