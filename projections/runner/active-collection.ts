import type { ReadStore } from '../../domain/ports/read-store.ts';
import type { Checkpoint } from '../../domain/events/index.ts';
import { physicalCollection } from '../projector.ts';
import { checkpointKey, readProjectionMeta } from './meta.ts';

/** Long enough to spare the meta row a read per query, short enough that a switch reaches every reader quickly. */
export const ACTIVE_VERSION_TTL_MS = 1000;

const cache = new WeakMap<ReadStore, Map<string, { version: number | null; expires: number }>>();

/** The version readers should use, or null before the projection ever started. */
export async function activeVersion(readStore: ReadStore, projection: string): Promise<number | null> {
  let byName = cache.get(readStore);
  if (!byName) cache.set(readStore, (byName = new Map()));
  const hit = byName.get(projection);
  const now = Date.now();
  if (hit && hit.expires > now) return hit.version;
  const version = (await readProjectionMeta(readStore, projection))?.activeVersion ?? null;
  byName.set(projection, { version, expires: now + ACTIVE_VERSION_TTL_MS });
  return version;
}

/**
 * The physical collection that currently serves a projector's logical collection. Before the projection has ever
 * run, `fallbackVersion` (typically the projector's version) is used, or an error says the view is not built yet.
 */
export async function activeCollection(
  readStore: ReadStore,
  projection: string,
  collection: string,
  options: { fallbackVersion?: number } = {},
): Promise<string> {
  const version = (await activeVersion(readStore, projection)) ?? options.fallbackVersion;
  if (version === undefined) throw new Error(`projection "${projection}" has no active version yet`);
  return physicalCollection(collection, version);
}

/** Checkpoint of the serving version, e.g. to wait until a view reflects a command's events. */
export async function projectionCheckpoint(readStore: ReadStore, projection: string): Promise<Checkpoint | null> {
  const version = await activeVersion(readStore, projection);
  return version === null ? null : readStore.getCheckpoint(checkpointKey(projection, version));
}

/** Drops cached versions (all, or one projection's) so the next read sees a switch at once. */
export function forgetActiveVersions(readStore: ReadStore, projection?: string): void {
  if (projection === undefined) cache.delete(readStore);
  else cache.get(readStore)?.delete(projection);
}
