import { BACKWARDS, END, FORWARDS, START, StreamNotFoundError } from '@eventstore/db-client';
import type { EventStoreDBClient, ReadPosition } from '@eventstore/db-client';
import { compareCheckpoints, formatCheckpoint, type Checkpoint, type RecordedEvent } from '../../../domain/events/index.ts';
import type { ReadByStreamQuery, StreamCursor } from '../../../domain/ports/event-store.ts';
import { toRecordedEvent } from './mapping.ts';

const SCAN_PAGE = 4096;

/**
 * The last user event of $all. EventStoreDB gives an event its position when it commits, so every event at or before
 * it is settled: no transaction can still land earlier, unlike PostgreSQL's sequence values.
 */
export async function headOf(client: EventStoreDBClient): Promise<Checkpoint | null> {
  let from: ReadPosition = END;
  for (;;) {
    let seen = 0;
    let last: Checkpoint | undefined;
    for await (const resolved of client.readAll({ fromPosition: from, maxCount: SCAN_PAGE, direction: BACKWARDS })) {
      seen += 1;
      const event = toRecordedEvent(resolved);
      if (event) return event.checkpoint;
      const position = resolved.event?.position;
      if (position) last = { commit: position.commit, prepare: position.prepare };
    }
    // Only system events so far: page back from the oldest one seen (a backwards read includes its start, hence >).
    if (seen < SCAN_PAGE || !last) return null;
    from = last;
  }
}

/**
 * $all has no index by stream name, so the names of the streams with the prefix up to the cut are gathered once per
 * (prefix, cut) by one forwards scan and sorted by code point; each page then reads whole streams in that order.
 * Only the last list is kept: a rebuild pages through one cut from start to end.
 */
export function streamReader(client: EventStoreDBClient) {
  let cached: { key: string; streams: string[] } | undefined;

  const streamsUpTo = async (prefix: string, until: Checkpoint): Promise<string[]> => {
    const key = `${prefix}\u0000${formatCheckpoint(until)}`;
    if (cached?.key === key) return cached.streams;
    const names = new Set<string>();
    let from: ReadPosition = START;
    scan: for (;;) {
      let seen = 0;
      let last: Checkpoint | undefined;
      for await (const resolved of client.readAll({ fromPosition: from, maxCount: SCAN_PAGE, direction: FORWARDS })) {
        seen += 1;
        const position = resolved.event?.position;
        if (!position) continue;
        last = { commit: position.commit, prepare: position.prepare };
        if (compareCheckpoints(last, until) > 0) break scan;
        const event = toRecordedEvent(resolved);
        if (event && event.streamId.startsWith(prefix)) names.add(event.streamId);
      }
      if (seen < SCAN_PAGE || !last) break;
      // A forwards read starts at and includes `from`; the duplicate only re-adds a name already in the set.
      from = last;
    }
    const streams = [...names].sort(byCodePoint);
    cached = { key, streams };
    return streams;
  };

  const readStreamUpTo = async (stream: string, fromRevision: bigint, until: Checkpoint, maxCount: number): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(stream, { fromRevision, direction: FORWARDS, maxCount })) {
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        // Revisions after the cut belong to the log-order catch-up that follows.
        if (compareCheckpoints(event.checkpoint, until) > 0) return events;
        events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return events;
      throw error;
    }
    return events;
  };

  return async function readByStream({ prefix, until, after, batchSize }: ReadByStreamQuery): Promise<RecordedEvent[]> {
    const streams = await streamsUpTo(prefix, until);
    const events: RecordedEvent[] = [];
    let index = after === null ? 0 : firstAtOrAfter(streams, after);
    let fromRevision = after !== null && streams[index] === after.stream ? after.revision + 1n : 0n;
    for (; index < streams.length && events.length < batchSize; index += 1, fromRevision = 0n) {
      const page = await readStreamUpTo(streams[index]!, fromRevision, until, batchSize - events.length);
      events.push(...page);
    }
    return events;
  };
}

/** Index of the cursor's stream, or of the first stream after it when it is not in the list. */
function firstAtOrAfter(streams: string[], cursor: StreamCursor): number {
  let low = 0;
  let high = streams.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byCodePoint(streams[mid]!, cursor.stream) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function byCodePoint(a: string, b: string): number {
  // Stream names are compared as UTF-8 would be: code points, not UTF-16 units.
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
