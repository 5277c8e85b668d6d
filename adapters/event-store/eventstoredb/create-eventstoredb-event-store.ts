import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError, WrongExpectedVersionError as DbWrongVersion } from '@eventstore/db-client';
import { openSubscriptions } from '../open-subscriptions.ts';
import type { ReadPosition } from '@eventstore/db-client';
import { InvalidAppendError, WrongExpectedVersionError } from '../../../domain/events/index.ts';
import type { Checkpoint, NewEvent, RecordedEvent } from '../../../domain/events/index.ts';
import { EventStoreUnreachableError, type AppendResult, type EventStore, type ExpectedRevision } from '../../../domain/ports/event-store.ts';
import { validateAppend, validateBatchSize, validateReadByStream, validateReadStreamOptions, validateStreamName } from '../validation.ts';
import { eventStoreDBSubscription } from './eventstoredb-subscription.ts';
import { headOf, streamReader } from './read-by-stream.ts';
import { isAfter, toEventData, toExpectedRevision, toReadPosition, toRecordedEvent } from './mapping.ts';

export interface EventStoreDBEventStoreOptions {
  /** e.g. esdb://127.0.0.1:2113?tls=false */
  connectionString: string;
  /**
   * How long create waits for the server to answer before refusing to start (default 5000 ms); 0 skips the check and
   * connects lazily.
   */
  connectTimeoutMs?: number;
}

/** The server did not answer at start: one line naming the address (never its credentials) and the reason. */
export { EventStoreUnreachableError };

// How far back a failed append looks for its own event ids before calling it a real conflict.
const IDEMPOTENCY_WINDOW = 4096n;

/**
 * EventStoreDB / KurrentDB through @eventstore/db-client 6. The server owns its schema, so there is nothing to
 * migrate; create reads one event to prove the server answers, so a wrong address stops the process at start
 * instead of failing the first command.
 */
export async function createEventStoreDBEventStore(options: EventStoreDBEventStoreOptions): Promise<EventStore> {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const subscriptions = openSubscriptions();
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  if (timeoutMs > 0) await reachable(client, options.connectionString, timeoutMs);
  const readByStream = streamReader(client);

  const readStream = async (stream: string, from: bigint | 'start' | 'end', direction: 'forwards' | 'backwards', maxCount?: number) => {
    const events: RecordedEvent[] = [];
    try {
      const read = client.readStream(stream, { fromRevision: from, direction: direction === 'forwards' ? FORWARDS : BACKWARDS, maxCount: maxCount ?? Number.MAX_SAFE_INTEGER });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  };

  /** A retry of an append that already happened: answer with the original result, or refuse a partial overlap. */
  const replayedResult = async (stream: string, events: NewEvent[]): Promise<AppendResult | undefined> => {
    const wanted = new Set(events.map((event) => event.metadata.eventId.toLowerCase()));
    const recent = await readStream(stream, END, 'backwards', Number(IDEMPOTENCY_WINDOW));
    const found = recent.filter((event) => wanted.has(event.metadata.eventId.toLowerCase()));
    if (found.length === 0) return undefined;
    if (found.length < wanted.size) {
      throw new InvalidAppendError(`${found.length} of ${wanted.size} event ids are already stored: a retry must resend exactly the original events`);
    }
    const last = found[0]!;
    return { nextRevision: last.revision, position: last.position };
  };

  const readAll = async (after: Checkpoint, batchSize: number): Promise<RecordedEvent[]> => {
    validateBatchSize(batchSize);
    const events: RecordedEvent[] = [];
    let from: ReadPosition = toReadPosition(after);
    // System events are filtered here, so one page can yield fewer than batchSize; keep paging until full or done.
    for (;;) {
      let seen = 0;
      let lastPosition: Checkpoint | undefined;
      for await (const resolved of client.readAll({ fromPosition: from, maxCount: batchSize + 1, direction: FORWARDS })) {
        seen += 1;
        const position = resolved.event?.position;
        if (position) lastPosition = { commit: position.commit, prepare: position.prepare };
        const event = toRecordedEvent(resolved);
        if (event && isAfter(event, after) && events.length < batchSize) events.push(event);
      }
      // A page shorter than asked for is the end of the log.
      if (events.length >= batchSize || seen < batchSize + 1 || !lastPosition) return events;
      from = lastPosition;
      after = events[events.length - 1]?.checkpoint ?? after;
    }
  };

  return {
    kind: 'eventstoredb',

    async append(stream, events, appendOptions): Promise<AppendResult> {
      const input = validateAppend(stream, events, appendOptions);
      try {
        const result = await client.appendToStream(input.stream, input.events.map(toEventData), {
          expectedRevision: toExpectedRevision(input.expectedRevision),
        });
        return { nextRevision: result.nextExpectedRevision, position: result.position?.prepare ?? -1n };
      } catch (error) {
        if (!(error instanceof DbWrongVersion)) throw error;
        const replayed = await replayedResult(input.stream, input.events);
        if (replayed) return replayed;
        throw new WrongExpectedVersionError(input.stream, expectedText(input.expectedRevision), actualRevision(error.actualVersion));
      }
    },

    async readStream(stream, readOptions) {
      const name = validateStreamName(stream);
      const { direction, fromRevision, maxCount } = validateReadStreamOptions(readOptions);
      return readStream(name, fromRevision ?? (direction === 'forwards' ? START : END), direction, maxCount);
    },

    readAll,

    head: () => headOf(client),

    async readByStream(query) {
      return readByStream(validateReadByStream(query));
    },

    subscribe(after, handler, subscribeOptions) {
      return subscriptions.track(eventStoreDBSubscription(client, after, handler, subscribeOptions));
    },

    ping: () => pingOnce(client),

    async close() {
      await subscriptions.stopAll();
      await client.dispose();
    },
  };
}

function expectedText(expected: ExpectedRevision): string {
  return expected.toString();
}

function actualRevision(actual: unknown): bigint {
  return typeof actual === 'bigint' ? actual : -1n;
}

async function pingOnce(client: EventStoreDBClient): Promise<void> {
  for await (const _ of client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END })) break;
}

async function reachable(client: EventStoreDBClient, connectionString: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pingOnce(client), timeout]);
  } catch (error) {
    await client.dispose().catch(() => undefined);
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    throw new EventStoreUnreachableError(`EventStoreDB at ${redacted(connectionString)} did not answer: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

function redacted(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//***@');
}
