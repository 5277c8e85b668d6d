import { expect } from 'chai';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import type { AppendResult } from '../../adapters/event-store/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { ids, newEvent, newEvents, uniqueStream } from './event-store.fixtures.ts';

/**
 * Many callers at once. A store may carry concurrent appends together (the SQL stores commit them as a group); each
 * caller must still get exactly the answer its append would have had alone.
 */
export function crowdCases(context: ContractContext): void {
  describe('a crowd of concurrent appends', function () {
    it('given 48 writers on their own streams at once, then every append lands at its own revision and position', async function () {
      const streams = Array.from({ length: 48 }, () => uniqueStream('crowd'));
      const batches = streams.map((_, index) => newEvents(1 + (index % 3)));
      const results = await Promise.all(streams.map((stream, index) => context.store.append(stream, batches[index]!, { expectedRevision: 'no_stream' })));
      expect(new Set(results.map((result) => result.position)).size, 'positions are distinct').to.equal(streams.length);
      for (const [index, stream] of streams.entries()) {
        const stored = await context.store.readStream(stream);
        expect(ids(stored)).to.deep.equal(ids(batches[index]!));
        expect(results[index]).to.deep.include({ nextRevision: BigInt(stored.length - 1), position: stored[stored.length - 1]!.position });
      }
    });

    it('given conflicts and retries among good appends, then each caller gets its own answer and only the good ones are written', async function () {
      const streams = Array.from({ length: 24 }, () => uniqueStream('mixed'));
      const originals = streams.map(() => [newEvent()]);
      const first: AppendResult[] = [];
      for (const [index, stream] of streams.entries()) {
        first.push(await context.store.append(stream, originals[index]!, { expectedRevision: 'no_stream' }));
      }
      const follow = streams.map(() => newEvent('Followed'));
      const outcomes = await Promise.allSettled(
        streams.map((stream, index) => {
          if (index % 4 === 1) return context.store.append(stream, [follow[index]!], { expectedRevision: 5n });
          if (index % 4 === 2) return context.store.append(stream, originals[index]!, { expectedRevision: 'no_stream' });
          return context.store.append(stream, [follow[index]!], { expectedRevision: 0n });
        }),
      );
      for (const [index, stream] of streams.entries()) {
        const outcome = outcomes[index]!;
        const stored = ids(await context.store.readStream(stream));
        if (index % 4 === 1) {
          expect(outcome.status, `stream ${index}`).to.equal('rejected');
          const error = (outcome as PromiseRejectedResult).reason as WrongExpectedVersionError;
          expect(error).to.be.instanceOf(WrongExpectedVersionError);
          expect({ stream: error.stream, expected: error.expected, actual: error.actual }).to.deep.equal({ stream, expected: '5', actual: 0n });
          expect(stored).to.deep.equal(ids(originals[index]!));
        } else if (index % 4 === 2) {
          expect(outcome.status, `stream ${index}`).to.equal('fulfilled');
          const retried = (outcome as PromiseFulfilledResult<AppendResult>).value;
          expect(retried).to.deep.include({ nextRevision: 0n, position: first[index]!.position });
          // As for a lone retry: the SQL stores say it wrote nothing (the command handler relies on it).
          if (context.store.kind !== 'eventstoredb') expect(retried.replayed).to.equal(true);
          expect(stored).to.deep.equal(ids(originals[index]!));
        } else {
          expect(outcome.status, `stream ${index}`).to.equal('fulfilled');
          expect((outcome as PromiseFulfilledResult<AppendResult>).value.nextRevision).to.equal(1n);
          expect(stored).to.deep.equal(ids([...originals[index]!, follow[index]!]));
        }
      }
    });
  });
}
