import type { Checkpoint, RecordedEvent } from '../../../domain/events/index.ts';
import { pollingSubscription } from '../polling-subscription.ts';
import type { AppendResult, EventStore, Subscription } from '../port.ts';
import { validateAppend, validateBatchSize, validateReadStreamOptions, validateStreamName } from '../validation.ts';
import { mapAppendError } from './errors.ts';
import { toRecordedEvent } from './rows.ts';
import type { SqlDriver } from './runner.ts';
import { appendStatement } from './sql/append.ts';
import type { AppendRow } from './sql/append.ts';
import type { EventRow } from './sql/event-row.ts';
import { pingStatement } from './sql/ping.ts';
import { readAllStatement } from './sql/read-all.ts';
import { readStreamStatement } from './sql/read-stream.ts';

/** The EventStore over any driver that speaks PostgreSQL: the pg Pool and PGlite share every statement. */
export function sqlEventStore(driver: SqlDriver, kind: 'postgres' | 'pglite'): EventStore {
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const readAll = async (after: Checkpoint, batchSize: number): Promise<RecordedEvent[]> => {
    const rows = await driver.query<EventRow>(readAllStatement(after, validateBatchSize(batchSize)));
    return rows.map(toRecordedEvent);
  };

  return {
    kind,

    async append(stream, events, options): Promise<AppendResult> {
      const input = validateAppend(stream, events, options);
      try {
        const [row] = await driver.query<AppendRow>(appendStatement(input.stream, input.expectedRevision, input.events));
        return { nextRevision: BigInt(row!.next_revision), position: BigInt(row!.last_position) };
      } catch (error) {
        throw mapAppendError(error, input.stream, input.expectedRevision);
      }
    },

    async readStream(stream, options) {
      const name = validateStreamName(stream);
      const { direction, fromRevision, maxCount } = validateReadStreamOptions(options);
      const rows = await driver.query<EventRow>(readStreamStatement(name, direction, fromRevision, maxCount));
      return rows.map(toRecordedEvent);
    },

    readAll,

    subscribe(after, handler, options) {
      if (closed) throw new Error('event store is closed');
      const subscription = pollingSubscription(readAll, after, handler, options);
      subscriptions.add(subscription);
      return {
        get checkpoint() {
          return subscription.checkpoint;
        },
        async stop() {
          await subscription.stop();
          subscriptions.delete(subscription);
        },
      };
    },

    async ping() {
      await driver.query(pingStatement());
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await driver.end();
    },
  };
}
