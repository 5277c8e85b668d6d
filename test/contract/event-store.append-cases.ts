import { expect } from 'chai';
import { InvalidAppendError, WrongExpectedVersionError } from '../../domain/events/index.ts';
import type { ExpectedRevision } from '../../adapters/event-store/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { ids, newEvent, newEvents, uniqueStream } from './event-store.fixtures.ts';

async function expectWrongVersion(promise: Promise<unknown>, stream: string, expected: string, actual: bigint): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'append should have been refused').to.be.instanceOf(WrongExpectedVersionError);
  const wrong = error as WrongExpectedVersionError;
  expect({ stream: wrong.stream, expected: wrong.expected, actual: wrong.actual }).to.deep.equal({ stream, expected, actual });
}

export function appendCases(context: ContractContext): void {
  describe('append', function () {
    it('given no stream, when appending with no_stream, then revision 0 and the event reads back whole', async function () {
      const stream = uniqueStream('permit');
      const event = newEvent('ApplicationSubmitted', { applicant: 'A-1', fee: 12.5, urgent: false, tags: ['x'], none: null });
      const result = await context.store.append(stream, [event], { expectedRevision: 'no_stream' });
      expect(result.nextRevision).to.equal(0n);
      expect(result.position).to.be.a('bigint');
      const [stored, ...rest] = await context.store.readStream(stream);
      expect(rest).to.deep.equal([]);
      expect(stored).to.deep.include({ streamId: stream, revision: 0n, position: result.position, type: event.type });
      expect(stored!.data).to.deep.equal(event.data);
      expect(stored!.metadata).to.deep.equal(event.metadata);
      expect(stored!.checkpoint.prepare).to.equal(result.position);
    });

    it('given a stream, when appending with no_stream, then WrongExpectedVersionError and nothing written', async function () {
      const stream = uniqueStream('permit');
      await context.store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      await expectWrongVersion(context.store.append(stream, [newEvent()], { expectedRevision: 'no_stream' }), stream, 'no_stream', 0n);
      expect(await context.store.readStream(stream)).to.have.length(1);
    });

    it('given no stream, when appending with stream_exists, then WrongExpectedVersionError with actual -1 and still no stream', async function () {
      const stream = uniqueStream('permit');
      await expectWrongVersion(context.store.append(stream, [newEvent()], { expectedRevision: 'stream_exists' }), stream, 'stream_exists', -1n);
      expect(await context.store.readStream(stream)).to.deep.equal([]);
    });

    it('given a stream, when appending with stream_exists, then the events follow', async function () {
      const stream = uniqueStream('permit');
      await context.store.append(stream, newEvents(2), { expectedRevision: 'no_stream' });
      const result = await context.store.append(stream, [newEvent()], { expectedRevision: 'stream_exists' });
      expect(result.nextRevision).to.equal(2n);
    });

    it('when appending with any, then it succeeds on a missing and on an existing stream', async function () {
      const stream = uniqueStream('permit');
      expect((await context.store.append(stream, [newEvent()], { expectedRevision: 'any' })).nextRevision).to.equal(0n);
      expect((await context.store.append(stream, newEvents(3), { expectedRevision: 'any' })).nextRevision).to.equal(3n);
    });

    it('when appending at an exact revision, then it succeeds only when the revision matches', async function () {
      const stream = uniqueStream('permit');
      await context.store.append(stream, newEvents(3), { expectedRevision: 'no_stream' });
      const result = await context.store.append(stream, newEvents(2), { expectedRevision: 2n });
      expect(result.nextRevision).to.equal(4n);
      await expectWrongVersion(context.store.append(stream, [newEvent()], { expectedRevision: 2n }), stream, '2', 4n);
      await expectWrongVersion(context.store.append(stream, [newEvent()], { expectedRevision: 9n }), stream, '9', 4n);
      const missing = uniqueStream('permit');
      await expectWrongVersion(context.store.append(missing, [newEvent()], { expectedRevision: 0n }), missing, '0', -1n);
      expect(await context.store.readStream(stream)).to.have.length(5);
    });

    it('when appending several events, then they take consecutive revisions and the result names the last', async function () {
      const stream = uniqueStream('permit');
      const events = newEvents(4);
      const result = await context.store.append(stream, events, { expectedRevision: 'no_stream' });
      const stored = await context.store.readStream(stream);
      expect(stored.map((event) => event.revision)).to.deep.equal([0n, 1n, 2n, 3n]);
      expect(ids(stored)).to.deep.equal(ids(events));
      expect(result).to.deep.equal({ nextRevision: 3n, position: stored[3]!.position });
    });

    for (const expected of [0n, 'no_stream'] as ExpectedRevision[]) {
      it(`when two writers race with expectedRevision ${String(expected)}, then exactly one wins`, async function () {
        const stream = uniqueStream('race');
        if (expected === 0n) await context.store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
        const before = (await context.store.readStream(stream)).length;
        const outcomes = await Promise.allSettled([
          context.store.append(stream, [newEvent('A')], { expectedRevision: expected }),
          context.store.append(stream, [newEvent('B')], { expectedRevision: expected }),
        ]);
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(won).to.have.length(1);
        expect(lost).to.have.length(1);
        expect(lost[0]!.reason).to.be.instanceOf(WrongExpectedVersionError);
        expect(await context.store.readStream(stream)).to.have.length(before + 1);
      });
    }
  });

  describe('concurrent any', function () {
    it('given 8 writers appending with any to one stream, then every append lands and revisions stay contiguous', async function () {
      const stream = uniqueStream('hot');
      const appended: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let round = 0; round < 5; round += 1) {
            const events = newEvents(2);
            await context.store.append(stream, events, { expectedRevision: 'any' });
            appended.push(...ids(events));
          }
        }),
      );
      const stored = await context.store.readStream(stream);
      expect(stored.map((event) => event.revision)).to.deep.equal(stored.map((_, index) => BigInt(index)));
      expect(new Set(ids(stored))).to.deep.equal(new Set(appended));
      expect(stored).to.have.length(80);
    });
  });

  describe('idempotent append', function () {
    it('when the same events are appended again, then the original result comes back and nothing is written twice', async function () {
      const stream = uniqueStream('retry');
      const events = newEvents(2);
      const first = await context.store.append(stream, events, { expectedRevision: 'no_stream' });
      const again = await context.store.append(stream, events, { expectedRevision: 'no_stream' });
      expect(again).to.deep.include({ nextRevision: first.nextRevision, position: first.position });
      expect(first.replayed).to.not.equal(true);
      // The SQL stores say the retry wrote nothing; EventStoreDB acknowledges it like a fresh write.
      if (context.store.kind !== 'eventstoredb') expect(again.replayed).to.equal(true);
      expect(ids(await context.store.readStream(stream))).to.deep.equal(ids(events));
    });

    it('when a retry arrives after later appends, then it is still a no-op with the original result', async function () {
      const stream = uniqueStream('retry');
      const events = newEvents(2);
      const first = await context.store.append(stream, events, { expectedRevision: 'no_stream' });
      await context.store.append(stream, newEvents(3), { expectedRevision: 1n });
      expect(await context.store.append(stream, events, { expectedRevision: 'no_stream' })).to.deep.include({ nextRevision: first.nextRevision, position: first.position });
      expect(await context.store.readStream(stream)).to.have.length(5);
    });

    it('when two identical appends race, then both get the same result and the events are stored once', async function () {
      const stream = uniqueStream('retry');
      const events = newEvents(3);
      const [a, b] = await Promise.all([
        context.store.append(stream, events, { expectedRevision: 'no_stream' }),
        context.store.append(stream, events, { expectedRevision: 'no_stream' }),
      ]);
      expect(a).to.deep.include({ nextRevision: b.nextRevision, position: b.position });
      expect(ids(await context.store.readStream(stream))).to.deep.equal(ids(events));
    });

    it('when only some of the event ids are stored, then InvalidAppendError and nothing written', async function () {
      const stream = uniqueStream('retry');
      const [one, two] = newEvents(2);
      await context.store.append(stream, [one!], { expectedRevision: 'no_stream' });
      const error = await context.store.append(stream, [one!, two!], { expectedRevision: 'any' }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(InvalidAppendError);
      expect(ids(await context.store.readStream(stream))).to.deep.equal(ids([one!]));
    });
  });
}
