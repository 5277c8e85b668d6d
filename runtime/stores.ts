import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from '../adapters/config/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';

export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
  /** The embedded database, when one is used; both stores share it (PGlite has one connection and serializes). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

/**
 * Opens the event and read stores the configuration names; the embedded default keeps both in DATA_DIR/pglite. Each
 * adapter is imported only when selected, so mongoose, the EventStoreDB gRPC client and PGlite load only when
 * configured (test/int/adapter-loading.int.spec.ts).
 */
export async function openStores(config: Pick<Config, 'eventStore' | 'readStore' | 'dataDir'>, options: { pglite?: PGlite } = {}): Promise<Stores> {
  let pglite: PGlite | null = options.pglite ?? null;
  let lock: FolderLock | null = null;
  const embedded = async (): Promise<PGlite> => {
    if (!pglite) {
      const dir = resolve(join(config.dataDir, 'pglite'));
      mkdirSync(dir, { recursive: true });
      lock = lockFolder(dir);
      const { PGlite } = await import('@electric-sql/pglite');
      pglite = new PGlite(dir);
    }
    await pglite.waitReady;
    return pglite;
  };

  const eventStore = await openEventStore(config.eventStore, embedded);
  const readStore = await openReadStore(config.readStore, embedded);

  const ownsPglite = !options.pglite;
  return {
    eventStore,
    readStore,
    pglite,
    async close() {
      await Promise.allSettled([eventStore.close(), readStore.close()]);
      if (ownsPglite && pglite) await pglite.close();
      lock?.release();
    },
  };
}

async function openEventStore(config: Config['eventStore'], embedded: () => Promise<PGlite>): Promise<EventStore> {
  switch (config.kind) {
    case 'postgres': {
      const { createPostgresEventStore } = await import('../adapters/event-store/postgres/index.ts');
      return createPostgresEventStore({ connectionString: config.url });
    }
    case 'eventstoredb': {
      const { createEventStoreDBEventStore } = await import('../adapters/event-store/eventstoredb/index.ts');
      return createEventStoreDBEventStore({ connectionString: config.url });
    }
    default: {
      const { createPGliteEventStore } = await import('../adapters/event-store/pglite/index.ts');
      return createPGliteEventStore({ pglite: await embedded() });
    }
  }
}

async function openReadStore(config: Config['readStore'], embedded: () => Promise<PGlite>): Promise<ReadStore> {
  switch (config.kind) {
    case 'postgres': {
      const { createPostgresReadStore } = await import('../adapters/read-store/postgres/index.ts');
      return createPostgresReadStore({ connectionString: config.url });
    }
    case 'mongodb': {
      const { createMongoReadStore } = await import('../adapters/read-store/mongo/index.ts');
      return createMongoReadStore({ url: config.url });
    }
    default: {
      const { createPGliteReadStore } = await import('../adapters/read-store/pglite/index.ts');
      return createPGliteReadStore({ pglite: await embedded() });
    }
  }
}
