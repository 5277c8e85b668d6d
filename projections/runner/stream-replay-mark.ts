import type { StreamCursor } from '../../domain/ports/event-store.ts';
import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from '../../domain/events/index.ts';

/**
 * How far a by-stream replay has come, kept beside the checkpoint and written in each batch's transaction. The
 * checkpoint stays at the start until the replay ends: no prefix of the log is complete before then.
 */
export interface StreamReplayMark {
  /** The cut of the log being replayed; null when no replay is under way. */
  until: Checkpoint | null;
  /** The last event replayed; null before the first batch. */
  after: StreamCursor | null;
}

export const NO_REPLAY: StreamReplayMark = { until: null, after: null };

export const streamReplayKey = (checkpointKey: string) => `stream-replay:${checkpointKey}`;

export async function readStreamReplayMark(readStore: ReadStore, checkpointKey: string): Promise<StreamReplayMark> {
  const value = await readStore.getMeta(streamReplayKey(checkpointKey));
  if (!value || typeof value.until !== 'string') return NO_REPLAY;
  const after = value.after as { stream?: unknown; revision?: unknown } | null;
  return {
    until: parseCheckpoint(value.until),
    after: after && typeof after.stream === 'string' && typeof after.revision === 'string' ? { stream: after.stream, revision: BigInt(after.revision) } : null,
  };
}

export function writeStreamReplayMark(tx: ReadStoreTransaction, checkpointKey: string, mark: StreamReplayMark): Promise<void> {
  return tx.setMeta(streamReplayKey(checkpointKey), {
    until: mark.until ? formatCheckpoint(mark.until) : null,
    after: mark.after ? { stream: mark.after.stream, revision: mark.after.revision.toString() } : null,
  });
}
