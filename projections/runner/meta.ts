import type { ReadStore } from '../../domain/ports/read-store.ts';

/** What the read store remembers about a projection, under `projection:<name>`. */
export interface ProjectionMeta {
  /** Version whose physical collections serve readers. */
  activeVersion: number;
  /** Projector code version that built it; a different one in code means "rebuild". */
  codeVersion: number;
  /** Logical collections of the active version, so they can be dropped even after the code renamed them. */
  collections: string[];
  switchedAt: string;
  rebuilding: { version: number; codeVersion: number; startedAt: string } | null;
}

export const metaKey = (projection: string) => `projection:${projection}`;

/**
 * Checkpoints are kept per version: a process still running an old version can then never move the checkpoint of
 * the new one, whatever it writes before it notices the switch.
 */
export const checkpointKey = (projection: string, version: number) => `${projection}@v${version}`;

export async function readProjectionMeta(readStore: ReadStore, projection: string): Promise<ProjectionMeta | null> {
  const value = await readStore.getMeta(metaKey(projection));
  if (!value || typeof value.activeVersion !== 'number') return null;
  return {
    activeVersion: value.activeVersion,
    codeVersion: typeof value.codeVersion === 'number' ? value.codeVersion : value.activeVersion,
    collections: Array.isArray(value.collections) ? (value.collections as string[]) : [],
    switchedAt: typeof value.switchedAt === 'string' ? value.switchedAt : '',
    rebuilding: (value.rebuilding as ProjectionMeta['rebuilding']) ?? null,
  };
}

export const metaDoc = (meta: ProjectionMeta): Record<string, unknown> => ({ ...meta });
