import { openSubscriptions } from '../../adapters/event-store/index.ts';
import { pollingSubscription } from '../../adapters/event-store/index.ts';
import type { BatchHandler, EventStore, SubscribeOptions } from '../../domain/ports/event-store.ts';
import { compareCheckpoints, type Checkpoint, type NewEvent, type RecordedEvent } from '../../domain/events/index.ts';

/**
 * A test double for the event store only: an in-memory log with the port's delivery rules (global order, strictly
 * after a checkpoint, catch-up then live), so the runner's own logic can be specified without a database.
 * `beforeRead` lets a spec hold a reader at a chosen checkpoint.
 */
export interface MemoryEventStore extends EventStore {
  readonly events: RecordedEvent[];
  beforeRead?: (after: Checkpoint) => Promise<void> | void;
  head(): Promise<Checkpoint | null>;
}

export function createMemoryEventStore(): MemoryEventStore {
  const events: RecordedEvent[] = [];
  const subscriptions = openSubscriptions();
  let position = 0n;

  const store: MemoryEventStore = {
    kind: 'postgres',
    events,
    async append(stream, newEvents: NewEvent[], options) {
      const existing = events.filter((e) => e.streamId === stream);
      const current = BigInt(existing.length) - 1n;
      const expected = options.expectedRevision;
      if (typeof expected === 'bigint' && expected !== current) throw new Error(`wrong expected revision for ${stream}`);
      if (expected === 'no_stream' && current !== -1n) throw new Error(`stream ${stream} exists`);
      let revision = current;
      for (const event of newEvents) {
        position += 1n;
        revision += 1n;
        events.push({ ...event, streamId: stream, revision, position, checkpoint: { commit: position, prepare: position } });
      }
      return { nextRevision: revision, position };
    },
    async readStream(stream) {
      return events.filter((e) => e.streamId === stream);
    },
    async readAll(after, batchSize) {
      await store.beforeRead?.(after);
      return events.filter((e) => compareCheckpoints(e.checkpoint, after) > 0).slice(0, batchSize);
    },
    subscribe(after, handler: BatchHandler, options: SubscribeOptions = {}) {
      // The stores' own polling loop over this log, so the runner is specified against the real delivery rules.
      return subscriptions.track(pollingSubscription((from, size) => store.readAll(from, size), after, handler, { idleMs: 5, ...options }));
    },
    async head() {
      return events.at(-1)?.checkpoint ?? null;
    },
    async ping() {},
    async close() {
      await subscriptions.stopAll();
    },
  };
  return store;
}
