import type { BatchHandler, EventStore, SubscribeOptions, Subscription } from '../../adapters/event-store/port.ts';
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
  const subscriptions = new Set<Subscription>();
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
      let checkpoint = after;
      let stopped = false;
      let wake: (() => void) | undefined;
      const loop = async () => {
        while (!stopped) {
          let full = false;
          try {
            const batch = await store.readAll(checkpoint, options.batchSize ?? 500);
            if (stopped) break;
            if (batch.length > 0) {
              await handler(batch);
              checkpoint = batch[batch.length - 1]!.checkpoint;
            }
            full = batch.length === (options.batchSize ?? 500);
          } catch (error) {
            options.onError?.(error);
          }
          if (!full && !stopped) await new Promise<void>((resolve) => setTimeout((wake = resolve), options.idleMs ?? 5));
        }
      };
      const running = loop();
      const subscription: Subscription = {
        get checkpoint() {
          return checkpoint;
        },
        async stop() {
          stopped = true;
          wake?.();
          await running;
          subscriptions.delete(subscription);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async head() {
      return events.at(-1)?.checkpoint ?? null;
    },
    async ping() {},
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
    },
  };
  return store;
}
