import { expect } from 'chai';
import { formatCheckpoint, parseCheckpoint } from '../../domain/events/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { headCheckpoint, ids, newEvent, newEvents, record, settle, strictlyIncreasing, uniqueStream, until } from './event-store.fixtures.ts';

export function subscriptionCases(context: ContractContext): void {
  describe('subscribe', function () {
    it('catches up in batches, then goes live, in order', async function () {
      const prefix = uniqueStream('catchup');
      const head = await headCheckpoint(context.store);
      const early = newEvents(30);
      for (let i = 0; i < early.length; i += 3) {
        await context.store.append(`${prefix}-s`, early.slice(i, i + 3), { expectedRevision: 'any' });
      }
      const recorder = record(context.store, head, 7);
      try {
        await until(() => recorder.of(prefix).length >= 30, 'catch-up');
        const live = newEvents(10);
        for (const event of live) await context.store.append(`${prefix}-s`, [event], { expectedRevision: 'any' });
        await settle(context.store, recorder, prefix);
        expect(ids(recorder.of(prefix))).to.deep.equal(ids([...early, ...live]));
        expect(recorder.errors).to.deep.equal([]);
      } finally {
        await recorder.subscription.stop();
      }
    });

    it('given 8 concurrent writers, then a live subscriber sees every event exactly once with increasing checkpoints', async function () {
      this.timeout(60_000);
      const prefix = uniqueStream('writers');
      const recorder = record(context.store, await headCheckpoint(context.store), 25);
      const appended: string[] = [];
      try {
        await Promise.all(
          Array.from({ length: 8 }, async (_, writer) => {
            let revision = -1n;
            for (let round = 0; round < 15; round += 1) {
              const events = newEvents(1 + ((writer + round) % 3));
              const result = await context.store.append(`${prefix}-w${writer}`, events, {
                expectedRevision: revision < 0n ? 'no_stream' : revision,
              });
              revision = result.nextRevision;
              appended.push(...ids(events));
            }
          }),
        );
        await settle(context.store, recorder, prefix);
        const seen = ids(recorder.of(prefix));
        expect(seen.length, 'delivered once each').to.equal(appended.length);
        expect(new Set(seen)).to.deep.equal(new Set(appended));
        expect(strictlyIncreasing(recorder.delivered.map((event) => event.checkpoint))).to.equal(true);
        for (let writer = 0; writer < 8; writer += 1) {
          const revisions = recorder.delivered.filter((event) => event.streamId === `${prefix}-w${writer}`).map((event) => event.revision);
          expect(revisions).to.deep.equal(revisions.map((_, index) => BigInt(index)));
        }
        expect(recorder.errors).to.deep.equal([]);
      } finally {
        await recorder.subscription.stop();
      }
    });

    it('given a stopped subscriber, when it resumes from its saved checkpoint, then it sees only the new events, once', async function () {
      const prefix = uniqueStream('resume');
      const first = record(context.store, await headCheckpoint(context.store), 4);
      const before = newEvents(5);
      for (const event of before) await context.store.append(`${prefix}-s`, [event], { expectedRevision: 'any' });
      await settle(context.store, first, prefix);
      await first.subscription.stop();
      const saved = formatCheckpoint(first.subscription.checkpoint);
      const deliveredAtStop = first.delivered.length;

      const after = newEvents(5);
      for (const event of after) await context.store.append(`${prefix}-s`, [event], { expectedRevision: 'any' });
      const second = record(context.store, parseCheckpoint(saved), 4);
      try {
        await settle(context.store, second, prefix);
        expect(ids(first.of(prefix))).to.deep.equal(ids(before));
        expect(first.delivered.length, 'nothing delivered after stop').to.equal(deliveredAtStop);
        expect(ids(second.of(prefix))).to.deep.equal(ids(after));
      } finally {
        await second.subscription.stop();
      }
    });

    it('when the handler fails, then onError hears it and the same events are delivered again', async function () {
      const stream = uniqueStream('retry-handler');
      const head = await headCheckpoint(context.store);
      const events = newEvents(3);
      await context.store.append(stream, events, { expectedRevision: 'no_stream' });
      const errors: unknown[] = [];
      const handled: string[] = [];
      let failed = false;
      const subscription = context.store.subscribe(
        head,
        async (batch) => {
          const mine = batch.filter((event) => event.streamId === stream);
          if (mine.length > 0 && !failed) {
            failed = true;
            throw new Error('projection database unavailable');
          }
          handled.push(...ids(mine));
        },
        { batchSize: 100, idleMs: 10, onError: (error) => errors.push(error) },
      );
      try {
        await until(() => handled.length >= 3, 'redelivery after the failure');
      } finally {
        await subscription.stop();
      }
      expect(handled).to.deep.equal(ids(events));
      expect(errors.map((error) => (error as Error).message)).to.deep.equal(['projection database unavailable']);
    });

    it('when stopped during a batch, then stop resolves after that batch and its checkpoint is kept', async function () {
      const stream = uniqueStream('stop');
      const head = await headCheckpoint(context.store);
      await context.store.append(stream, newEvents(3), { expectedRevision: 'no_stream' });
      const log: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      let lastOfBatch: string | undefined;
      const subscription = context.store.subscribe(
        head,
        async (batch) => {
          log.push('handler started');
          entered();
          await gate;
          lastOfBatch = formatCheckpoint(batch[batch.length - 1]!.checkpoint);
          log.push('handler finished');
        },
        { batchSize: 100, idleMs: 20 },
      );
      await inHandler;
      const stopped = subscription.stop().then(() => log.push('stop resolved'));
      release();
      await stopped;
      expect(log).to.deep.equal(['handler started', 'handler finished', 'stop resolved']);
      expect(formatCheckpoint(subscription.checkpoint)).to.equal(lastOfBatch);
    });

    it('given a transaction that commits after a later one, then the subscriber waits for it and skips nothing', async function () {
      const { beginLateAppend } = context.harness;
      if (!beginLateAppend) {
        console.log(`      [skipped] late commit: ${context.store.kind} cannot hold a second transaction open alongside the store`);
        this.skip();
      }
      const prefix = uniqueStream('late');
      const head = await headCheckpoint(context.store);
      const recorder = record(context.store, head, 10);
      try {
        const lateEvent = newEvent('LateCommit');
        const late = await beginLateAppend.call(context.harness, `${prefix}-late`, [lateEvent]);
        const early = newEvent('EarlyCommit');
        let visibleWhileOpen: string[];
        let appended: Promise<unknown> | undefined;
        try {
          // The open transaction holds the log's append lock, so this append waits for it rather than overtaking it.
          appended = context.store.append(`${prefix}-early`, [early], { expectedRevision: 'no_stream' });
          await late.appendWaiting();
          visibleWhileOpen = ids(await context.store.readAll(head, 100));
        } finally {
          await late.commit();
        }
        await appended;
        // While the older transaction was open, the newer committed event must not have been handed out.
        expect(visibleWhileOpen).to.not.include(early.metadata.eventId);
        await settle(context.store, recorder, prefix);
        const mine = recorder.of(prefix);
        expect(ids(mine)).to.deep.equal([lateEvent.metadata.eventId, early.metadata.eventId]);
        expect(mine[0]!.position < mine[1]!.position, 'the late event took the lower position').to.equal(true);
        expect(recorder.errors).to.deep.equal([]);
      } finally {
        await recorder.subscription.stop();
      }
    });
  });
}
