import { randomUUID } from 'node:crypto';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import type { ShredRebuilds } from './shredder.ts';

const OWED = 'privacy-rebuilds-owed';
const SETTLED = 'privacy-rebuilds-settled';

/**
 * ShredRebuilds kept in the shared read store's meta: the latest debt's token under one key, the latest settled token
 * under another; a debt is open while they differ. Two keys rather than a note cleared after asking, so a shredding
 * in another process that owes in between is never cleared by this one's settling (it only ever writes its own
 * token as settled, which then differs from the newer debt's).
 */
export function readStoreShredRebuilds(readStore: ReadStore, requestRebuilds: () => Promise<void>): ShredRebuilds {
  const tokenOf = async (key: string) => {
    const doc = await readStore.getMeta(key);
    return typeof doc?.token === 'string' ? doc.token : null;
  };
  const request = async (token: string) => {
    await requestRebuilds();
    await readStore.setMeta(SETTLED, { token });
  };
  return {
    async owe() {
      const token = randomUUID();
      await readStore.setMeta(OWED, { token });
      return token;
    },
    request,
    async resume() {
      const owed = await tokenOf(OWED);
      if (owed === null || owed === (await tokenOf(SETTLED))) return false;
      await request(owed);
      return true;
    },
  };
}
