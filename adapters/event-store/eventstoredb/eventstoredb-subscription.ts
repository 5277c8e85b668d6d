import { excludeSystemEvents } from '@eventstore/db-client';
import type { AllStreamSubscription, EventStoreDBClient } from '@eventstore/db-client';
import type { Checkpoint, RecordedEvent } from '../../../domain/events/index.ts';
import { DEFAULT_BATCH_SIZE, report } from '../polling-subscription.ts';
import type { BatchHandler, SubscribeOptions, Subscription } from '../../../domain/ports/event-store.ts';
import { isAfter, toReadPosition, toRecordedEvent } from './mapping.ts';

const RESUBSCRIBE_MS = 500;

/**
 * subscribeToAll delivers one event at a time; we gather what has arrived into batches of at most batchSize and
 * pause the stream while the handler runs. The client does not resume after an error, so we resubscribe from the
 * last finished checkpoint; events at or before it are dropped so a resubscription never delivers twice.
 */
export function eventStoreDBSubscription(
  client: EventStoreDBClient,
  after: Checkpoint,
  handler: BatchHandler,
  options: SubscribeOptions = {},
): Subscription {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let checkpoint = after;
  let stopped = false;
  let source: AllStreamSubscription | undefined;
  let buffer: RecordedEvent[] = [];
  let draining: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;

  const drain = async () => {
    while (!stopped && buffer.length > 0) {
      const batch = buffer.slice(0, batchSize);
      try {
        await handler(batch);
        buffer = buffer.slice(batch.length);
        checkpoint = batch[batch.length - 1]!.checkpoint;
      } catch (error) {
        report(options, error);
        // Redeliver from the last finished checkpoint on a fresh subscription.
        restart();
        return;
      }
    }
    source?.resume();
  };

  const open = () => {
    buffer = [];
    const current = client.subscribeToAll({ fromPosition: toReadPosition(checkpoint), filter: excludeSystemEvents() });
    source = current;
    current.on('data', (resolved) => {
      const event = toRecordedEvent(resolved);
      const last = buffer[buffer.length - 1]?.checkpoint ?? checkpoint;
      if (!event || !isAfter(event, last)) return;
      buffer.push(event);
      if (buffer.length >= batchSize) current.pause();
      draining = draining.then(drain);
    });
    current.on('error', (error) => {
      if (stopped || current !== source) return;
      report(options, error);
      restart();
    });
    // A subscription the server ends without an error would otherwise leave us silently caught up forever.
    current.on('end', () => {
      if (stopped || current !== source) return;
      restart();
    });
  };

  const restart = () => {
    const old = source;
    source = undefined;
    void old?.unsubscribe().catch(() => undefined);
    if (stopped) return;
    retry = setTimeout(() => {
      retry = undefined;
      draining = draining.then(() => {
        if (!stopped) open();
      });
    }, RESUBSCRIBE_MS);
  };

  open();

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = source;
      source = undefined;
      await current?.unsubscribe().catch(() => undefined);
      await draining;
    },
  };
}
