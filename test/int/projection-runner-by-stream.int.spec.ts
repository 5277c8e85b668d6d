import { expect } from 'chai';
import type { EventStore, ReadByStreamQuery } from '../../domain/ports/event-store.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { activeCollection, checkpointKey } from '../../projections/index.ts';
import { readStreamReplayMark } from '../../projections/runner/index.ts';
import { caseDocsProjector, caseEvent, eventually, foldView } from '../unit/projection-runner-fixtures.ts';
import { STORES, rewiredWrites, runnerHarness } from './projection-runner-harness.ts';

/** Rebuilds and first fills of stream-scoped projections, which replay the log case by case up to a cut. */
for (const { name, open } of STORES) {
  describe(`projection runner, case by case, over ${name}`, function () {
    // Each test opens its stores afresh: a new PGlite alone took over 40 s to start on a host running four suites.
    this.timeout(120_000);
    const h = runnerHarness(open);
    const { runner, log, head, caughtUp, logger } = h;
    /** Cases whose events arrive interleaved: round r appends the r-th event of every case before any (r+1)-th. */
    const appendInterleaved = async (count: number) => {
      for (const round of [0, 1, 2]) {
        for (let i = 0; i < count; i += 1) {
          if (round === 2 && i % 5 !== 0) continue;
          const type = (['CaseSubmitted', 'CaseApproved', 'CaseWithdrawn'] as const)[round]!;
          await h.stores.eventStore.append(`case-s${i}`, [caseEvent(type, `s${i}`, 'tax')], { expectedRevision: round === 0 ? 'no_stream' : BigInt(round - 1) });
          h.appended += 1;
        }
      }
    };
    const docs = async (version: number) => (await h.stores.readStore.find(`cases_v${version}`, {})).items;
    const folded = async (projector = caseDocsProjector()) =>
      [...foldView(projector, await log()).get('cases')!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, doc]) => doc);
    /** The real store, with every readByStream query recorded and a hook after each. */
    const watched = (real: EventStore) => {
      const queries: ReadByStreamQuery[] = [];
      const hooks: { afterRead?: (call: number) => Promise<void> | void; beforeRead?: (call: number) => Promise<void> | void } = {};
      const store: EventStore = {
        ...real,
        readByStream: async (query) => {
          queries.push(query);
          await hooks.beforeRead?.(queries.length);
          const events = await real.readByStream!(query);
          await hooks.afterRead?.(queries.length);
          return events;
        },
      };
      return { store, queries, hooks };
    };

    it('given a stream-scoped projector, when rebuilt, then it replays a cut of the log case by case, catches up after the cut in log order, and ends with the documents of a plain fold of the whole log', async () => {
      await appendInterleaved(30);
      const { store, queries, hooks } = watched(h.stores.eventStore);
      const r = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
      await r.start();
      await caughtUp(r);
      // The first fill (itself by stream) has to be over before a rebuild may start.
      await eventually(async () => expect((await r.status())[0]!.state).to.equal('running'));
      queries.length = 0;
      // Events appended once the replay has its cut: one to a case already replayed, one opening a new case.
      hooks.afterRead = async (call) => {
        if (call !== 1) return;
        await h.stores.eventStore.append('case-s0', [caseEvent('CaseApproved', 's0', 'tax')], { expectedRevision: 'any' });
        await h.stores.eventStore.append('case-after-cut', [caseEvent('CaseSubmitted', 'after-cut', 'tax')], { expectedRevision: 'no_stream' });
        h.appended += 2;
      };
      const phases: string[] = [];
      const result = await r.rebuild('case-docs', (p) => phases.push(p.phase));
      expect([...new Set(phases)]).to.deep.equal(['by-stream', 'catching-up', 'switching', 'done']);
      expect(queries[0]!.after).to.equal(null);
      // Each page starts right after the last event of the one before: no event read twice, none skipped.
      expect(queries.slice(1).every((q) => q.after !== null)).to.equal(true);
      expect(result).to.deep.include({ version: 2, checkpoint: formatCheckpoint(await head()) });
      expect(await docs(2)).to.deep.equal(await folded());
      expect((await docs(2)).find((d) => d.id === 'after-cut')).to.deep.include({ history: ['CaseSubmitted'] });
    });

    it('given events logged before a stream-scoped projection first starts, then it fills case by case into the serving version and then follows live', async () => {
      await appendInterleaved(30);
      const { store, queries } = watched(h.stores.eventStore);
      const r = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
      await r.start();
      await caughtUp(r);
      expect(queries[0]?.after, 'the fill read the log by stream').to.equal(null);
      expect(await activeCollection(h.stores.readStore, 'case-docs', 'cases')).to.equal('cases_v1');
      expect(await docs(1)).to.deep.equal(await folded());
      await h.stores.eventStore.append('case-later', [caseEvent('CaseSubmitted', 'later', 'tax')], { expectedRevision: 'no_stream' });
      h.appended += 1;
      await caughtUp(r);
      expect(await docs(1)).to.deep.equal(await folded());
      expect((await r.status())[0]).to.deep.include({ state: 'running', activeVersion: 1 });
    });

    it('given a first fill stopped during its replay, when a runner starts again, then it goes on from the stored place', async () => {
      await appendInterleaved(40);
      const { store, queries, hooks } = watched(h.stores.eventStore);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      hooks.beforeRead = (call) => (call === 4 ? held : undefined);
      const interrupted = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
      await interrupted.start();
      await eventually(() => expect(queries).to.have.length.at.least(4));
      await eventually(async () => expect((await interrupted.status())[0]!.rebuild!.eventsProcessed).to.be.greaterThan(0));
      const stopping = interrupted.stop();
      release();
      await stopping;
      const stored = await readStreamReplayMark(h.stores.readStore, checkpointKey('case-docs', 1));
      expect(stored.after).to.not.equal(null);

      queries.length = 0;
      const resumed = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
      await resumed.start();
      await caughtUp(resumed);
      expect(queries[0]!.after).to.deep.equal(stored.after);
      expect(await docs(1)).to.deep.equal(await folded());
    });

    it('given a first fill that keeps failing, then it gives up and the live lane fills the projection in log order instead', async () => {
      await appendInterleaved(10);
      const failing = rewiredWrites(h.stores.readStore, (tx) => ({
        setMeta: async (key, value) => {
          if (key.startsWith('stream-replay:') && value.after !== null) throw new Error('replay writes refused');
          return tx.setMeta(key, value);
        },
      }));
      const r = runner({ readStore: failing, projectors: [caseDocsProjector()], rebuildBatchSize: 7, rebuildAttempts: 2 });
      await r.start();
      await eventually(async () => expect((await r.status())[0]).to.deep.include({ state: 'running', checkpoint: formatCheckpoint(await head()) }), 30_000);
      expect(await docs(1)).to.deep.equal(await folded());
      expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('rebuild batch failed'))).to.equal(true);
    });

    it('given an empty log, then a stream-scoped projection starts live at once, with nothing to replay', async () => {
      const { store, queries } = watched(h.stores.eventStore);
      const r = runner({ eventStore: store, projectors: [caseDocsProjector()] });
      await r.start();
      expect((await r.status())[0]).to.deep.include({ state: 'running', activeVersion: 1, rebuild: null });
      await appendInterleaved(3);
      await caughtUp(r);
      expect(queries).to.deep.equal([]);
      expect(await docs(1)).to.deep.equal(await folded());
    });

    it('given a replay write that fails midway, then it goes on from the stored place, not from the start, and ends with the same documents', async () => {
      await appendInterleaved(30);
      const { store, queries } = watched(h.stores.eventStore);
      let marks = 0;
      let failed = 0;
      const failing = rewiredWrites(h.stores.readStore, (tx) => ({
        setMeta: async (key, value) => {
          if (key.startsWith('stream-replay:') && value.after !== null && ++marks === 3) {
            failed += 1;
            throw new Error('write refused once');
          }
          return tx.setMeta(key, value);
        },
      }));
      const r = runner({ eventStore: store, readStore: failing, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
      await r.rebuild('case-docs');
      expect(failed).to.equal(1);
      expect(queries.filter((q) => q.after === null)).to.have.length(1);
      expect(await docs(1)).to.deep.equal(await folded());
      expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('rebuild batch failed'))).to.equal(true);
    });

    it('given a rebuild for new code stopped during the replay, when a runner starts again, then it resumes the replay where it stopped and switches with the same documents', async () => {
      await appendInterleaved(40);
      const first = runner({ projectors: [caseDocsProjector()] });
      await first.start();
      await caughtUp(first);
      await first.stop();

      const { store, queries, hooks } = watched(h.stores.eventStore);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      hooks.beforeRead = (call) => (call === 4 ? held : undefined);
      const interrupted = runner({ eventStore: store, projectors: [caseDocsProjector({ version: 2 })], rebuildBatchSize: 7 });
      await interrupted.start();
      await eventually(() => expect(queries).to.have.length.at.least(4));
      // What an operator sees meanwhile: the phase and the cut, with the checkpoint still at the start.
      // Batches read before the held one commit meanwhile.
      const status = await eventually(async () => {
        const [current] = await interrupted.status();
        expect(current!.rebuild!.eventsProcessed).to.be.greaterThan(0);
        return current!;
      });
      expect(status.state).to.equal('rebuilding');
      expect(status.rebuild).to.deep.include({ version: 2, phase: 'by-stream', replayingUntil: formatCheckpoint(await head()), checkpoint: '0/0' });
      const stopping = interrupted.stop();
      release();
      await stopping;
      const stored = await readStreamReplayMark(h.stores.readStore, checkpointKey('case-docs', 2));
      expect(stored.after, 'a place in the replay was committed').to.not.equal(null);
      expect(await activeCollection(h.stores.readStore, 'case-docs', 'cases')).to.equal('cases_v1');

      queries.length = 0;
      const resumed = runner({ eventStore: store, projectors: [caseDocsProjector({ version: 2 })], rebuildBatchSize: 7 });
      await resumed.start();
      await eventually(async () => expect(await activeCollection(h.stores.readStore, 'case-docs', 'cases')).to.equal('cases_v2'), 30_000);
      expect(queries[0]!.after).to.deep.equal(stored.after);
      expect(await docs(2)).to.deep.equal(await folded());
    });
    });
}
