import { expect } from 'chai';
import { START, formatCheckpoint, parseCheckpoint } from '../../domain/events/index.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import type { ContractContext } from './event-store.fixtures.ts';
import { ids, newEvent, newEvents, readAllThrough, until } from './event-store.fixtures.ts';

const BEYOND_DOUBLE = 2n ** 53n + 10n;

export function positionCases(context: ContractContext): void {
  describe('positions beyond 2^53', function () {
    it('round-trip exactly as bigint and as checkpoint strings', async function () {
      const { storeWithPositionsFrom } = context.harness;
      if (!storeWithPositionsFrom) {
        console.log(`      [skipped] positions beyond 2^53: ${context.store.kind} assigns its own log positions`);
        this.skip();
      }
      const { store, dispose } = await storeWithPositionsFrom.call(context.harness, BEYOND_DOUBLE);
      try {
        const events = [...newEvents(3), newEvent('Fourth')];
        const first = await store.append('big-positions', events.slice(0, 3), { expectedRevision: 'no_stream' });
        const second = await store.append('big-positions', events.slice(3), { expectedRevision: 2n });
        expect(first.position).to.equal(BEYOND_DOUBLE + 2n);
        expect(second.position).to.equal(BEYOND_DOUBLE + 3n);

        const stored = await store.readStream('big-positions');
        expect(stored.map((event) => event.position)).to.deep.equal([0n, 1n, 2n, 3n].map((i) => BEYOND_DOUBLE + i));
        const all = (await readAllThrough(store, START, events[3]!.metadata.eventId, 10)).flat();
        expect(all.map((event) => event.position)).to.deep.equal(stored.map((event) => event.position));

        const text = formatCheckpoint(stored[3]!.checkpoint);
        expect(text.endsWith(`/${(BEYOND_DOUBLE + 3n).toString()}`)).to.equal(true);
        expect(text.split('/')[1]).to.equal('9007199254741005');
        expect(parseCheckpoint(JSON.parse(JSON.stringify(text)) as string)).to.deep.equal(stored[3]!.checkpoint);

        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe(parseCheckpoint(formatCheckpoint(stored[1]!.checkpoint)), async (batch) => {
          seen.push(...batch);
        });
        try {
          await until(() => seen.length >= 2, 'the two events after the checkpoint');
        } finally {
          await subscription.stop();
        }
        expect(ids(seen)).to.deep.equal(ids(events.slice(2)));
      } finally {
        await dispose();
      }
    });
  });
}
