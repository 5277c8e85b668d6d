import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config/index.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';
import { createEventStoreDBEventStore, createPGliteEventStore, createPostgresEventStore, type EventStore } from '../event-store/index.ts';
import { createMongoReadStore, createPGliteReadStore, createPostgresReadStore, type ReadStore } from '../read-store/index.ts';
import type { KeyStore } from '../key-store/index.ts';
import { openPrivacy } from '../privacy/open-privacy.ts';
import type { SealingEventStore } from '../privacy/sealing-event-store.ts';
import type { PersonalDataMarks } from '../../domain/privacy/personal-data.ts';

export interface Stores {
  /** Seals personal values before append and opens them after read (adapters/privacy); `.inner` stores as is. */
  eventStore: SealingEventStore;
  /** The subject keys the event store seals under. */
  keys: KeyStore;
  readStore: ReadStore;
  /** The embedded database, when one is used; both stores share it (PGlite has one connection and serializes). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

/** Opens the event and read stores the configuration names; the embedded default keeps both in DATA_DIR/pglite. */
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
      pglite = new PGlite(dir);
    }
    await pglite.waitReady;
    return pglite;
  };

  const rawEventStore: EventStore =
    config.eventStore.kind === 'postgres'
      ? await createPostgresEventStore({ connectionString: config.eventStore.url })
      : config.eventStore.kind === 'eventstoredb'
        ? await createEventStoreDBEventStore({ connectionString: config.eventStore.url })
        : await createPGliteEventStore({ pglite: await embedded() });

  const { eventStore, keys } = await openPrivacy(config, rawEventStore, embedded, options.marks);

  const readStore =
    config.readStore.kind === 'postgres'
      ? createPostgresReadStore({ connectionString: config.readStore.url })
      : config.readStore.kind === 'mongodb'
        ? createMongoReadStore({ url: config.readStore.url })
        : createPGliteReadStore({ pglite: await embedded() });

  const ownsPglite = !options.pglite;
  return {
    eventStore,
    keys,
    readStore,
    pglite,
    async close() {
      await Promise.allSettled([eventStore.close(), readStore.close(), keys.close()]);
      if (ownsPglite && pglite) await pglite.close();
      lock?.release();
    },
  };
}
