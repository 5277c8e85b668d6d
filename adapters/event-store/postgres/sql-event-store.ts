import { openSubscriptions } from '../open-subscriptions.ts';
import { LogRewoundError, type Checkpoint, type RecordedEvent } from '../../../domain/events/index.ts';
import { pollingSubscription } from '../polling-subscription.ts';
import { localAppends, type LocalAppends } from '../local-appends.ts';
import type { AppendResult, EventStore, StoredLogHead } from '../../../domain/ports/event-store.ts';
import type { ValidatedAppend } from '../validation.ts';
import { validateAppend, validateBatchSize, validateReadByStream, validateReadStreamOptions, validateStreamName } from '../validation.ts';
import { appendBatch, appendEvents } from './append.ts';
import { groupCommit, type GroupCommitOptions } from '../../group-commit.ts';
import { toRecordedEvent } from './rows.ts';
import type { SqlDriver } from './runner.ts';
import type { EventRow } from './sql/event-row.ts';
import { headStatement, type HeadRow } from './sql/head.ts';
import { pingStatement } from './sql/ping.ts';
import { readAllStatement } from './sql/read-all.ts';
import { readByStreamStatement } from './sql/read-by-stream.ts';
import { forgetPreparedEvents, prepareEvents } from './sql/append.ts';
import { readStreamStatement } from './sql/read-stream.ts';
import { verifyEventLog } from './verify-log.ts';
import { insertLogHeadStatement, latestLogHeadStatement, listLogHeadsStatement, type LogHeadRow } from './sql/log-heads.ts';

/** Most appends one group commit carries; a long queue goes out as several batches back to back. */
const APPEND_BATCH_LIMIT = 64;
/**
 * Append statements at once on a driver with several connections. Since appends number their events under one lock
 * held to commit (migration 003), a second statement only waits on the server with half a batch; one at a time
 * makes the biggest batches and measured best for single-event appends (docs/benchmarks.md, issue #12).
 */
const DEFAULT_APPEND_CONCURRENCY = 1;

/** The EventStore over any driver that speaks PostgreSQL: the pg Pool and PGlite share every statement. */
export function sqlEventStore(
  driver: SqlDriver,
  kind: 'postgres' | 'pglite',
  appends: Partial<GroupCommitOptions> = {},
  local: { appends: LocalAppends; idleMs?: number; wakeGapMs?: number } = { appends: localAppends() },
): EventStore {
  const subscriptions = openSubscriptions();
  const appender = groupCommit<ValidatedAppend, AppendResult>(
    (item) => appendEvents(driver, item),
    (items) => appendBatch(driver, items),
    { maxInFlight: driver.concurrent ? DEFAULT_APPEND_CONCURRENCY : 1, maxBatch: APPEND_BATCH_LIMIT, ...appends },
  );
  let closed = false;

  const readAll = async (after: Checkpoint, batchSize: number): Promise<RecordedEvent[]> => {
    try {
      const rows = await driver.query<EventRow>(readAllStatement(after, validateBatchSize(batchSize)));
      return rows.map(toRecordedEvent);
    } catch (error) {
      const { code, detail } = error as { code?: unknown; detail?: unknown };
      if (code === 'EV003') throw new LogRewoundError(typeof detail === 'string' ? detail : 'the event at the checkpoint is gone');
      throw error;
    }
  };

  async function append(validated: ValidatedAppend): Promise<AppendResult> {
    prepareEvents(validated.events);
    try {
      const result = await appender.submit(validated);
      local.appends.notify();
      return result;
    } finally {
      // The same array appended again later (changed in place, say) is serialised afresh.
      forgetPreparedEvents(validated.events);
    }
  }

  return {
    kind,

    // async: refused input rejects the promise, never throws at the call.
    append: async (stream, events, options) => append(validateAppend(stream, events, options)),

    appendWithKeys: async (stream, events, options, keys) => append({ ...validateAppend(stream, events, options), keys }),

    async readStream(stream, options) {
      const name = validateStreamName(stream);
      const { direction, fromRevision, maxCount } = validateReadStreamOptions(options);
      const rows = await driver.query<EventRow>(readStreamStatement(name, direction, fromRevision, maxCount));
      return rows.map(toRecordedEvent);
    },

    readAll,

    async head() {
      const [row] = await driver.query<HeadRow>(headStatement());
      return row ? { commit: BigInt(row.epoch), prepare: BigInt(row.global_position), link: row.link } : null;
    },

    async readByStream(query) {
      const { prefix, until, after, batchSize } = validateReadByStream(query);
      const rows = await driver.query<EventRow>(readByStreamStatement(prefix, until, after, batchSize));
      return rows.map(toRecordedEvent);
    },

    subscribe(after, handler, options) {
      if (closed) throw new Error('event store is closed');
      return subscriptions.track(pollingSubscription(readAll, after, handler, options, local));
    },

    verifyLog(heads, from) {
      return verifyEventLog(driver, heads, from);
    },

    logHeads: {
      async latest() {
        const [row] = await driver.query<LogHeadRow>(latestLogHeadStatement());
        return row ? toStoredHead(row) : null;
      },
      async list() {
        return (await driver.query<LogHeadRow>(listLogHeadsStatement())).map(toStoredHead);
      },
      async append(head, after) {
        try {
          return (await driver.query(insertLogHeadStatement(head, after?.position ?? null))).length === 1;
        } catch (error) {
          if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
          throw error;
        }
      },
    },

    async ping() {
      await driver.query(pingStatement());
    },

    async close() {
      if (closed) return;
      closed = true;
      await subscriptions.stopAll();
      await driver.end();
    },
  };
}

const UNIQUE_VIOLATION = '23505';

function toStoredHead(row: LogHeadRow): StoredLogHead {
  return { position: BigInt(row.position), size: BigInt(row.size), link: row.link, signedAt: row.signed_at, jws: row.jws };
}
