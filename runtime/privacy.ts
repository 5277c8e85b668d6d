import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { catalogueMarks, type PersonalDataMarks } from '../domain/privacy/personal-data.ts';
import type { Config } from '../adapters/config/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { caseStream } from '../domain/case/events.ts';
import { loadMasterKeyFile, type KeyStore } from '../adapters/key-store/index.ts';
import { sealingEventStore, type SealingEventStore } from '../adapters/privacy/sealing-event-store.ts';
import { createPGliteKeyStore, createPostgresKeyStore } from './lazy-adapters.ts';

/** Every value personal: what a process that only reads (a CLI) or knows no catalogue assumes. */
export const ALL_PERSONAL: PersonalDataMarks = catalogueMarks({ formField: () => undefined, dataField: () => undefined });

export function masterKeysPath(config: Pick<Config, 'dataDir' | 'privacy'>): string {
  return config.privacy?.keysFile ?? resolve(join(config.dataDir, 'keys', 'privacy-keys.json'));
}

/**
 * The subject key store beside the events: the events' PostgreSQL (its own table), else the read store's, else the
 * embedded database. Keys are wrapped by the master key file (PRIVACY_KEYS_FILE, or one made under DATA_DIR/keys).
 */
export async function openPrivacy(
  config: Pick<Config, 'eventStore' | 'readStore' | 'dataDir' | 'privacy'>,
  events: EventStore,
  embedded: () => Promise<PGlite>,
  marks: PersonalDataMarks = ALL_PERSONAL,
): Promise<{ eventStore: SealingEventStore; keys: KeyStore }> {
  const master = loadMasterKeyFile(masterKeysPath(config), { create: config.privacy?.keysFile == null });
  const url = config.eventStore.kind === 'postgres' ? config.eventStore.url : config.readStore.kind === 'postgres' ? config.readStore.url : null;
  // One database for keys and events: the events' PostgreSQL, or the embedded PGlite holding both.
  const shared = url === null ? config.eventStore.kind === 'pglite' : config.eventStore.kind === 'postgres' && url === config.eventStore.url;
  const keys = url
    ? await createPostgresKeyStore({ connectionString: url, wrapper: master.wrapper })
    : await createPGliteKeyStore({ pglite: await embedded(), wrapper: master.wrapper });
  const eventStore = sealingEventStore(events, {
    keys,
    marks,
    lookupSecret: master.lookupSecret,
    disabled: config.privacy?.encryption === false,
    keysShareEventsDatabase: shared,
  });
  return { eventStore, keys };
}

/**
 * Whether the case's personal data is erased (its keys shredded), as the key store says it at once. The case view
 * keeps clear values until its rebuild after the shredding, which can take a while on a large log: anything served
 * from it with personal values in it (a file, a certificate, a notice, what a certificate discloses) asks this first.
 */
export async function caseErased(stores: { keys: Pick<KeyStore, 'scope'> }, caseId: string): Promise<boolean> {
  return Boolean((await stores.keys.scope(caseStream(caseId)))?.shreddedAt);
}
