import { expect } from 'chai';
import { InvalidAppendError, compareCheckpoints, type RecordedEvent } from '../../domain/events/index.ts';
import type { EventStore, ReadByStreamQuery } from '../../domain/ports/event-store.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { ids, newEvent, newEvents, readAllThrough, uniqueStream } from './event-store.fixtures.ts';

type ByStreamStore = EventStore & Required<Pick<EventStore, 'head' | 'readByStream'>>;

/** The optional head()/readByStream() pair, on the stores that offer it; the others print why they are left out. */
function byStreamStore(context: ContractContext, test: Mocha.Context): ByStreamStore {
  const { store } = context;
  if (!store.head || !store.readByStream) {
    console.log(`      [skipped] ${test.test?.title}: ${store.kind} does not offer head() and readByStream(); rebuilds read it in log order`);
    test.skip();
  }
  return store as ByStreamStore;
}

/** Pages through readByStream from the start, `batchSize` at a time, until a short page. */
async function readEveryStream(store: ByStreamStore, query: Omit<ReadByStreamQuery, 'after'>): Promise<RecordedEvent[][]> {
  const pages: RecordedEvent[][] = [];
  let after: ReadByStreamQuery['after'] = null;
  for (;;) {
    const page = await store.readByStream({ ...query, after });
    if (page.length > 0) pages.push(page);
    if (page.length < query.batchSize) return pages;
    const last = page[page.length - 1]!;
    after = { stream: last.streamId, revision: last.revision };
  }
}

export function byStreamCases(context: ContractContext): void {
  describe('head and reading by stream', function () {
    it('given appends, then head() is the checkpoint of the last event readAll delivers', async function () {
      const store = byStreamStore(context, this);
      const before = await store.head();
      const events = newEvents(3);
      await store.append(uniqueStream('head'), events, { expectedRevision: 'no_stream' });
      const pages = await readAllThrough(store, before ?? { commit: 0n, prepare: 0n }, events[2]!.metadata.eventId);
      const lastRead = pages.flat().at(-1)!;
      const head = await store.head();
      expect(head).to.deep.equal(lastRead.checkpoint);
      if (before) expect(compareCheckpoints(head!, before)).to.be.greaterThan(0);
    });

    it('given a transaction still open, then head() stays before the events that committed after it began', async function () {
      const store = byStreamStore(context, this);
      const { beginLateAppend } = context.harness;
      if (!beginLateAppend) {
        console.log(`      [skipped] late commit and head(): ${store.kind} cannot hold a second transaction open alongside the store`);
        this.skip();
      }
      const prefix = uniqueStream('head-late');
      const late = await beginLateAppend.call(context.harness, `${prefix}-late`, [newEvent('LateCommit')]);
      const early = newEvent('EarlyCommit');
      let headWhileOpen;
      let appended: Promise<unknown> | undefined;
      try {
        appended = store.append(`${prefix}-early`, [early], { expectedRevision: 'no_stream' });
        await late.appendWaiting();
        headWhileOpen = await store.head();
      } finally {
        await late.commit();
      }
      await appended;
      const [stored] = await store.readStream(`${prefix}-early`);
      expect(headWhileOpen === null || compareCheckpoints(headWhileOpen, stored!.checkpoint) < 0, 'head() handed out a position an open transaction could still precede').to.equal(true);
      expect(compareCheckpoints((await store.head())!, stored!.checkpoint)).to.be.at.least(0);
    });

    it('given interleaved appends to several streams, then readByStream returns each stream whole and in revision order, one after another, and only streams with the prefix', async function () {
      const store = byStreamStore(context, this);
      const prefix = `${uniqueStream('by-stream')}-`;
      const streams = ['a', 'b', 'c'].map((s) => `${prefix}${s}`);
      const appended = new Map<string, string[]>(streams.map((s) => [s, []]));
      for (let round = 0; round < 3; round += 1) {
        for (const stream of streams) {
          const events = newEvents(round + 1);
          await store.append(stream, events, { expectedRevision: round === 0 ? 'no_stream' : 'any' });
          appended.get(stream)!.push(...ids(events));
        }
      }
      const outside = newEvent();
      await store.append(`${prefix.slice(0, -1)}x-outside`, [outside], { expectedRevision: 'no_stream' });
      const until = (await store.head())!;

      const [all] = await readEveryStream(store, { prefix, until, batchSize: 100 });
      const order = [...new Set(all!.map((e) => e.streamId))];
      expect([...order].sort()).to.deep.equal([...streams].sort());
      // Whole streams, never interleaved: each stream's events sit together, in revision order.
      for (const stream of order) {
        const mine = all!.filter((e) => e.streamId === stream);
        const start = all!.indexOf(mine[0]!);
        expect(all!.slice(start, start + mine.length).map((e) => e.streamId)).to.deep.equal(mine.map(() => stream));
        expect(mine.map((e) => e.revision)).to.deep.equal(mine.map((_, i) => BigInt(i)));
        expect(ids(mine)).to.deep.equal(appended.get(stream));
      }
      expect(ids(all!)).to.not.include(outside.metadata.eventId);
    });

    it('given a small batch size, then paging with the last event as cursor yields the same events as one read, each once', async function () {
      const store = byStreamStore(context, this);
      const prefix = `${uniqueStream('by-stream-pages')}-`;
      for (const s of ['p', 'q', 'r', 's']) await store.append(`${prefix}${s}`, newEvents(3), { expectedRevision: 'no_stream' });
      const until = (await store.head())!;
      const [whole] = await readEveryStream(store, { prefix, until, batchSize: 1000 });
      const pages = await readEveryStream(store, { prefix, until, batchSize: 5 });
      expect(pages.map((page) => page.length)).to.deep.equal([5, 5, 2]);
      expect(ids(pages.flat())).to.deep.equal(ids(whole!));
      expect(whole).to.have.length(12);
    });

    it('given events appended after the cut, then readByStream leaves them out: they belong to the log-order catch-up', async function () {
      const store = byStreamStore(context, this);
      const prefix = `${uniqueStream('by-stream-cut')}-`;
      const first = newEvents(2);
      await store.append(`${prefix}a`, first, { expectedRevision: 'no_stream' });
      const until = (await store.head())!;
      const later = newEvent('AfterTheCut');
      await store.append(`${prefix}a`, [later], { expectedRevision: 1n });
      await store.append(`${prefix}b`, [newEvent('AfterTheCut')], { expectedRevision: 'no_stream' });
      const [read] = await readEveryStream(store, { prefix, until, batchSize: 100 });
      expect(ids(read!)).to.deep.equal(ids(first));
      const rest = await store.readAll(until, 100);
      expect(ids(rest)).to.include(later.metadata.eventId);
    });

    it('refuses an empty prefix, a bad batch size and a cursor without a stream, with InvalidAppendError', async function () {
      const store = byStreamStore(context, this);
      const until = { commit: 0n, prepare: 0n };
      const bad: unknown[] = [
        { prefix: '', until, after: null, batchSize: 10 },
        { prefix: 'x', until, after: null, batchSize: 0 },
        { prefix: 'x', until, after: { stream: '', revision: 0n }, batchSize: 10 },
        { prefix: 'x', until: { commit: 0, prepare: 0 }, after: null, batchSize: 10 },
      ];
      for (const query of bad) {
        const error = await store.readByStream(query as ReadByStreamQuery).then(() => null, (e: unknown) => e);
        expect(error, JSON.stringify(query, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).to.be.instanceOf(InvalidAppendError);
      }
    });
  });
}
