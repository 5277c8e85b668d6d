import { randomUUID } from 'node:crypto';
import type { Checkpoint, EventData, NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { compareCheckpoints } from '../../domain/events/index.ts';
import type { EventStore, Subscription } from '../../adapters/event-store/index.ts';

/** What each adapter's spec hands the contract. Optional members are abilities only some servers have. */
export interface EventStoreHarness {
  store: EventStore;
  /** Opens a transaction that appends through the same SQL function and keeps it open until commit(). */
  beginLateAppend?(stream: string, events: NewEvent[]): Promise<LateAppend>;
  /**
   * Opens a transaction in ANOTHER database of the same server that takes a transaction id and then idles, as a
   * forgotten psql session would; release() ends it.
   */
  holdForeignTransaction?(): Promise<{ release(): Promise<void> }>;
  /** Dumps the log's database with pg_dump, restores it into a fresh cluster and opens a store there. */
  dumpAndRestore?(): Promise<{ store: EventStore; dispose(): Promise<void> }>;
  /** A store on a fresh database whose next global position is `next`. */
  storeWithPositionsFrom?(next: bigint): Promise<{ store: EventStore; dispose(): Promise<void> }>;
  dispose(): Promise<void>;
}

export interface LateAppend {
  /** Resolves once another append is waiting behind this open transaction. */
  appendWaiting(): Promise<void>;
  commit(): Promise<void>;
}

export interface ContractContext {
  readonly harness: EventStoreHarness;
  readonly store: EventStore;
}

/** Stream names unique per test, so the contract also runs on servers that cannot be emptied between tests. */
export function uniqueStream(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export function newEvent(type = 'ApplicationSubmitted', data: EventData = { note: 'ok' }): NewEvent {
  const eventId = randomUUID();
  return {
    type,
    data,
    metadata: {
      eventId,
      schemaVersion: 1,
      occurredAt: '2026-03-02T09:15:00.000Z',
      correlationId: 'corr-1',
      causationId: null,
      actor: { kind: 'clerk', id: 'clerk-7', department: 'market-supervision', roles: ['intake'] },
      commandId: `cmd-${eventId}`,
    },
  };
}

export function newEvents(count: number, type = 'ItemRecorded'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

export function ids(events: Array<NewEvent | RecordedEvent>): string[] {
  return events.map((event) => event.metadata.eventId);
}

/** Waits for a condition the test causes; the limit only turns a hang into a readable failure. */
export async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A live subscriber that records everything it is handed, in order. */
export interface Recorder {
  subscription: Subscription;
  delivered: RecordedEvent[];
  errors: unknown[];
  /** Events of streams starting with `prefix`, in delivery order. */
  of(prefix: string): RecordedEvent[];
}

export function record(store: EventStore, after: Checkpoint, batchSize = 50): Recorder {
  const delivered: RecordedEvent[] = [];
  const errors: unknown[] = [];
  const subscription = store.subscribe(
    after,
    async (batch) => {
      delivered.push(...batch);
    },
    { batchSize, idleMs: 20, onError: (error) => errors.push(error) },
  );
  return { subscription, delivered, errors, of: (prefix) => delivered.filter((event) => event.streamId.startsWith(prefix)) };
}

export function strictlyIncreasing(checkpoints: Checkpoint[]): boolean {
  return checkpoints.every((checkpoint, index) => index === 0 || compareCheckpoints(checkpoints[index - 1]!, checkpoint) < 0);
}

/** Appends a marker and waits until it is delivered: everything committed before it has then been delivered too. */
export async function settle(store: EventStore, recorder: Recorder, prefix: string): Promise<void> {
  const marker = newEvent('Marker');
  await store.append(`marker-${prefix}-${randomUUID().slice(0, 8)}`, [marker], { expectedRevision: 'no_stream' });
  await until(() => recorder.delivered.some((event) => event.metadata.eventId === marker.metadata.eventId), 'the marker event');
}

/** The checkpoint of the last event readAll can see now: where a test's own subscription should start. */
export async function headCheckpoint(store: EventStore): Promise<Checkpoint> {
  let head: Checkpoint = { commit: 0n, prepare: 0n };
  for (;;) {
    const page = await store.readAll(head, 1000);
    if (page.length === 0) return head;
    head = page[page.length - 1]!.checkpoint;
  }
}

/**
 * Pages readAll from `after` until the event `untilEventId` has been read. readAll may hold back committed events
 * while an older transaction anywhere on the server is still open, so "read until empty" is not "read everything";
 * waiting for an event committed last is.
 */
export async function readAllThrough(store: EventStore, after: Checkpoint, untilEventId: string, pageSize = 100): Promise<RecordedEvent[][]> {
  const pages: RecordedEvent[][] = [];
  let cursor = after;
  const deadline = Date.now() + 15_000;
  while (!pages.some((page) => page.some((event) => event.metadata.eventId === untilEventId))) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for event ${untilEventId} in readAll`);
    const page = await store.readAll(cursor, pageSize);
    if (page.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    pages.push(page);
    cursor = page[page.length - 1]!.checkpoint;
  }
  return pages;
}

/** Appends a marker to its own stream and returns everything readAll delivers after `after` up to and including it. */
export async function readAllUpToMarker(store: EventStore, after: Checkpoint, pageSize = 100): Promise<RecordedEvent[][]> {
  const marker = newEvent('Marker');
  await store.append(`marker-${randomUUID().slice(0, 8)}`, [marker], { expectedRevision: 'no_stream' });
  return readAllThrough(store, after, marker.metadata.eventId, pageSize);
}
