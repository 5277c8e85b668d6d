import { expect } from 'chai';
import type { RecordedEvent } from '../../domain/events/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { headCheckpoint, ids, newEvent, newEvents, readAllUpToMarker, strictlyIncreasing, uniqueStream } from './event-store.fixtures.ts';

export function readCases(context: ContractContext): void {
  describe('readStream', function () {
    let stream: string;
    before(async function () {
      stream = uniqueStream('fifty');
      for (let start = 0; start < 50; start += 10) {
        await context.store.append(stream, newEvents(10), { expectedRevision: start === 0 ? 'no_stream' : BigInt(start - 1) });
      }
    });
    const revisions = (events: RecordedEvent[]) => events.map((event) => Number(event.revision));
    const range = (from: number, to: number, step = 1) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => from + i * step);

    it('given a missing stream, then reading gives an empty list either way', async function () {
      expect(await context.store.readStream(uniqueStream('missing'))).to.deep.equal([]);
      expect(await context.store.readStream(uniqueStream('missing'), { direction: 'backwards', maxCount: 5 })).to.deep.equal([]);
    });

    it('reads the whole stream forwards by default', async function () {
      expect(revisions(await context.store.readStream(stream))).to.deep.equal(range(0, 49));
    });

    it('honours fromRevision and maxCount forwards', async function () {
      expect(revisions(await context.store.readStream(stream, { fromRevision: 10n, maxCount: 5 }))).to.deep.equal(range(10, 14));
      expect(revisions(await context.store.readStream(stream, { fromRevision: 45n }))).to.deep.equal(range(45, 49));
      expect(await context.store.readStream(stream, { fromRevision: 50n })).to.deep.equal([]);
    });

    it('reads backwards from the end or from a revision', async function () {
      expect(revisions(await context.store.readStream(stream, { direction: 'backwards', maxCount: 3 }))).to.deep.equal([49, 48, 47]);
      expect(revisions(await context.store.readStream(stream, { direction: 'backwards', fromRevision: 5n }))).to.deep.equal(range(5, 0, -1));
      expect(revisions(await context.store.readStream(stream, { direction: 'backwards', fromRevision: 20n, maxCount: 2 }))).to.deep.equal([20, 19]);
    });
  });

  describe('payloads', function () {
    it('stores and returns a 1 MB event unchanged', async function () {
      const stream = uniqueStream('large');
      const blob = 'x'.repeat(1_000_000 - 200);
      const event = newEvent('EvidenceAttached', { blob, length: blob.length });
      await context.store.append(stream, [event], { expectedRevision: 'no_stream' });
      const [stored] = await context.store.readStream(stream);
      expect(stored!.data['blob'] === blob, 'blob round-trips').to.equal(true);
      expect(stored!.data['length']).to.equal(blob.length);
    });

    it('keeps non-ASCII text in data, metadata, type and stream name', async function () {
      const stream = uniqueStream('许可证-🏛️');
      const event = newEvent('申请已受理', { 申请人: '张三', 地址: '北京市朝阳区建国路 1 号', note: '已收到 ✅🎉 ok', nested: { '键': ['值', '😀'] } });
      event.metadata.actor = { kind: 'clerk', id: '窗口-03' };
      await context.store.append(stream, [event], { expectedRevision: 'no_stream' });
      const [stored] = await context.store.readStream(stream);
      expect(stored!.streamId).to.equal(stream);
      expect(stored!.type).to.equal('申请已受理');
      expect(stored!.data).to.deep.equal(event.data);
      expect(stored!.metadata).to.deep.equal(event.metadata);
    });
  });

  describe('readAll', function () {
    it('pages through new events in delivery order without gaps, repeats or overshoot', async function () {
      const head = await headCheckpoint(context.store);
      const prefix = uniqueStream('all');
      const appended: string[] = [];
      for (let round = 0; round < 4; round += 1) {
        for (const name of ['a', 'b', 'c']) {
          const events = newEvents(round + 1);
          await context.store.append(`${prefix}-${name}`, events, { expectedRevision: 'any' });
          appended.push(...ids(events));
        }
      }
      const pages = await readAllUpToMarker(context.store, head, 7);
      for (const page of pages) expect(page.length).to.be.within(1, 7);
      const all = pages.flat();
      expect(strictlyIncreasing(all.map((event) => event.checkpoint))).to.equal(true);
      const mine = all.filter((event) => event.streamId.startsWith(prefix));
      expect(ids(mine)).to.deep.equal(appended);
      const stored = await context.store.readStream(`${prefix}-b`);
      const fromAll = mine.filter((event) => event.streamId === `${prefix}-b`);
      expect(fromAll.map((event) => [event.revision, event.position, event.checkpoint])).to.deep.equal(
        stored.map((event) => [event.revision, event.position, event.checkpoint]),
      );
    });

    it('given the checkpoint of the last event, then readAll returns nothing new', async function () {
      const pages = await readAllUpToMarker(context.store, await headCheckpoint(context.store));
      const last = pages.flat().pop()!;
      expect(await context.store.readAll(last.checkpoint, 10)).to.deep.equal([]);
    });
  });
}
