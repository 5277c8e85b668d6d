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
        // The wire form carries the position; the link (where a store keeps one) stays with the reader's own copy.
        const { commit, prepare } = stored[3]!.checkpoint;
        expect(parseCheckpoint(JSON.parse(JSON.stringify(text)) as string)).to.deep.equal({ commit, prepare });

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

  describe('a log that went back in time under its reader', function () {
    it('given a checkpoint taken at an event, when the log lost that event and another now stands at its position, then resuming from it is refused, never answered with the events after it', async function () {
      const { storeWithPositionsFrom } = context.harness;
      if (!storeWithPositionsFrom) {
        console.log(`      [skipped] a log that went back in time: ${context.store.kind} assigns its own log positions and keeps no hash links`);
        this.skip();
      }
      // The log as the reader knew it, and the same log restored from a copy taken before its last two events, to
      // which two other events were appended since.
      const shared = newEvents(2);
      const lost = [newEvent('Lost', { n: 1 }), newEvent('Lost', { n: 2 })];
      const since = [newEvent('Since', { n: 1 }), newEvent('Since', { n: 2 })];
      const original = await storeWithPositionsFrom.call(context.harness, 1n);
      let seen: RecordedEvent[];
      try {
        await original.store.append('rewound', shared, { expectedRevision: 'no_stream' });
        await original.store.append('rewound', lost, { expectedRevision: 1n });
        seen = (await readAllThrough(original.store, START, lost[1]!.metadata.eventId)).flat();
      } finally {
        await original.dispose();
      }
      const restored = await storeWithPositionsFrom.call(context.harness, 1n);
      try {
        await restored.store.append('rewound', shared, { expectedRevision: 'no_stream' });
        await restored.store.append('rewound', since, { expectedRevision: 1n });
        const [, second, third, fourth] = seen;
        expect(third!.checkpoint.link, 'a store that keeps hash links names them in its checkpoints').to.be.a('string');

        const refused = await restored.store.readAll(third!.checkpoint, 10).then(() => null, (error: unknown) => error);
        expect((refused as { code?: string } | null)?.code).to.equal('LOG_REWOUND');
        const beyond = await restored.store.readAll({ ...fourth!.checkpoint, prepare: fourth!.checkpoint.prepare + 5n }, 10).then(() => null, (error: unknown) => error);
        expect((beyond as { code?: string } | null)?.code).to.equal('LOG_REWOUND');
        // Where the restored log still holds the very event, it resumes; a checkpoint without a link, as before.
        const resumed = await restored.store.readAll(second!.checkpoint, 10);
        expect(resumed.map((e) => e.metadata.eventId)).to.deep.equal(since.map((e) => e.metadata.eventId));
        const { commit, prepare } = third!.checkpoint;
        expect((await restored.store.readAll({ commit, prepare }, 10)).map((e) => e.metadata.eventId)).to.deep.equal([since[1]!.metadata.eventId]);
      } finally {
        await restored.dispose();
      }
    });
  });
}
