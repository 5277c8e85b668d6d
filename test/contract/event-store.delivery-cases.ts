import { expect } from 'chai';
import { START } from '../../domain/events/index.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../adapters/event-store/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { headCheckpoint, ids, newEvents, readAllThrough, record, settle, uniqueStream, until } from './event-store.fixtures.ts';

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let cursor = START;
  for (;;) {
    const page = await store.readAll(cursor, 1000);
    if (page.length === 0) return all;
    all.push(...page);
    cursor = page[page.length - 1]!.checkpoint;
  }
}

/** Delivery never stalls on someone else's transaction and survives pg_dump/pg_restore into another cluster. */
export function deliveryCases(context: ContractContext): void {
  describe('delivery', function () {
    it('given an idle transaction holding a transaction id in another database, then an append is readable as soon as it returns', async function () {
      const { holdForeignTransaction } = context.harness;
      if (!holdForeignTransaction) {
        console.log(`      [skipped] foreign transaction: ${context.store.kind} has no second database or connection to hold one in`);
        this.skip();
      }
      const foreign = await holdForeignTransaction.call(context.harness);
      try {
        const head = await headCheckpoint(context.store);
        const stream = uniqueStream('foreign-idle');
        const events = newEvents(3);
        await context.store.append(stream, events, { expectedRevision: 'no_stream' });
        // No waiting at all: the read right after the append must already hold it (the issue allows ~1 s; we take none).
        const read = await context.store.readAll(head, 1000);
        expect(ids(read.filter((event) => event.streamId === stream))).to.deep.equal(ids(events));
      } finally {
        await foreign.release();
      }
    });

    it('given a log restored with pg_dump/pg_restore into a fresh cluster, then readAll(START) returns every event and a resumed subscriber skips nothing', async function () {
      this.timeout(180_000);
      const { dumpAndRestore } = context.harness;
      if (!dumpAndRestore) {
        console.log(`      [skipped] dump and restore: ${context.store.kind} is not a server pg_dump can read`);
        this.skip();
      }
      const prefix = uniqueStream('restore');
      const before = newEvents(6);
      for (let i = 0; i < before.length; i += 2) await context.store.append(`${prefix}-a${i}`, before.slice(i, i + 2), { expectedRevision: 'no_stream' });
      // A subscriber that has taken the first four, as a projection would have before the dump.
      const taken = (await readAllThrough(context.store, START, before[3]!.metadata.eventId, 1000)).flat();
      const saved = taken.find((event) => event.metadata.eventId === before[3]!.metadata.eventId)!.checkpoint;
      const original = await readEverything(context.store);

      const { store, dispose } = await dumpAndRestore.call(context.harness);
      try {
        const restored = await readEverything(store);
        expect(ids(restored)).to.deep.equal(ids(original));
        expect(restored.map((event) => event.checkpoint)).to.deep.equal(original.map((event) => event.checkpoint));

        const recorder = record(store, saved, 3);
        try {
          const after = newEvents(4);
          await store.append(`${prefix}-after`, after, { expectedRevision: 'no_stream' });
          await settle(store, recorder, prefix);
          expect(ids(recorder.of(prefix))).to.deep.equal(ids([...before.slice(4), ...after]));
          expect(recorder.errors).to.deep.equal([]);
        } finally {
          await recorder.subscription.stop();
        }
      } finally {
        await dispose();
      }
    });

    it('given appends, then positions are gap-free and delivery order is position order', async function () {
      const head = await headCheckpoint(context.store);
      const prefix = uniqueStream('gapless');
      await Promise.all(Array.from({ length: 6 }, (_, i) => context.store.append(`${prefix}-${i}`, newEvents(2), { expectedRevision: 'no_stream' })));
      const recorder = record(context.store, head, 5);
      try {
        await settle(context.store, recorder, prefix);
        await until(() => recorder.of(prefix).length === 12, 'the twelve events');
        if (context.store.kind === 'eventstoredb') return;
        const positions = recorder.delivered.map((event) => event.position);
        expect(positions).to.deep.equal(positions.map((_, i) => positions[0]! + BigInt(i)));
      } finally {
        await recorder.subscription.stop();
      }
    });
  });
}
