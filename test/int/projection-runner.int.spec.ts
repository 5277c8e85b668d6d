import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { createPGliteEventStore, createPostgresEventStore } from '../../adapters/event-store/index.ts';
import type { EventStore, ReadByStreamQuery } from '../../adapters/event-store/port.ts';
import { createPGliteReadStore, createPostgresReadStore } from '../../adapters/read-store/index.ts';
import type { ReadStore, ReadStoreTransaction } from '../../adapters/read-store/port.ts';
import { formatCheckpoint, type Checkpoint } from '../../domain/events/index.ts';
import { activeCollection, checkpointKey, createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions } from '../../projections/index.ts';
import { readStreamReplayMark } from '../../projections/runner/stream-replay-mark.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { caseDocsProjector, caseEvent, caseProjector, caseStreams, collectingLogger, eventually, foldView } from '../unit/projection-runner-fixtures.ts';
import { readAllEvents } from '../support/read-all.ts';

interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
  dispose(): Promise<void>;
}

/** Delegates to the real store, but lets a spec hold rebuild reads (readAll) at a chosen checkpoint. */
function holdable(real: EventStore) {
  const control: { hold?: (after: Checkpoint) => Promise<void> | undefined } = {};
  const store: EventStore = {
    kind: real.kind,
    append: (stream, events, options) => real.append(stream, events, options),
    readStream: (stream, options) => real.readStream(stream, options),
    readAll: async (after, batchSize) => {
      await control.hold?.(after);
      return real.readAll(after, batchSize);
    },
    subscribe: (after, handler, options) => real.subscribe(after, handler, options),
    ping: () => real.ping(),
    close: () => real.close(),
  };
  return { store, control };
}

/** The real read store, with the transaction writes `rewire` returns put in place of the real ones. */
function rewiredWrites(real: ReadStore, rewire: (tx: ReadStoreTransaction) => Partial<ReadStoreTransaction>): ReadStore {
  return { ...real, transaction: (work) => real.transaction((tx) => work({ ...tx, ...rewire(tx) })) };
}

function runnerSuite(name: string, open: () => Promise<Stores>): void {
  describe(`projection runner over ${name}`, function () {
    this.timeout(60_000);
    let stores: Stores;
    let runners: ProjectionRunner[] = [];
    const logger = collectingLogger();

    const runner = (options: Partial<ProjectionRunnerOptions> = {}) => {
      const created = createProjectionRunner({
        eventStore: stores.eventStore,
        readStore: stores.readStore,
        projectors: [caseProjector()],
        logger,
        idleMs: 5,
        retryDelayMs: 10,
        dropDelayMs: 0,
        ...options,
      });
      runners.push(created);
      return created;
    };
    let appended = 0;
    const append = async (streams: ReturnType<typeof caseStreams>) => {
      for (const { stream, events } of streams) {
        await stores.eventStore.append(stream, events, { expectedRevision: 'no_stream' });
        appended += events.length;
      }
    };
    // readAll holds back events while any older transaction in the cluster is open (other suites share the server).
    const log = () =>
      eventually(async () => {
        const all = await readAllEvents(stores.eventStore);
        expect(all).to.have.length(appended);
        return all;
      }, 30_000);
    const head = async () => (await log()).at(-1)!.checkpoint;
    const caughtUp = async (r: ProjectionRunner) => {
      const target = formatCheckpoint(await head());
      return eventually(async () => {
        const [status] = await r.status();
        expect(status!.checkpoint).to.equal(target);
        return status!;
      }, 30_000);
    };
    const view = async (version: number) => {
      const result: Record<string, unknown[]> = {};
      for (const c of ['cases', 'dept_stats']) result[c] = (await stores.readStore.find(`${c}_v${version}`, {})).items;
      return result;
    };
    const expected = async () => {
      const folded = foldView(caseProjector(), await log());
      const result: Record<string, unknown[]> = {};
      // find() orders by id in code point order, which is what a plain sort of ASCII ids gives.
      for (const [c, docs] of folded) result[c] = [...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, doc]) => doc);
      return result;
    };

    beforeEach(async () => {
      appended = 0;
      stores = await open();
      runners = [];
    });
    afterEach(async () => {
      for (const r of runners) await r.stop();
      await stores.dispose();
    });

    it('projects a log into documents equal to a plain fold, with the checkpoint of its last event', async () => {
      await append(caseStreams(120));
      const r = runner({ batchSize: 50 });
      await r.start();
      const status = await caughtUp(r);
      expect(await view(1)).to.deep.equal(await expected());
      expect(await stores.readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(await head());
      expect(status).to.deep.include({ state: 'running', lagMs: 0, eventsProcessed: appended });
    });

    it('commits documents and checkpoint atomically: a projector failing midway leaves neither, then recovers', async () => {
      await append(caseStreams(10, 'early'));
      const first = runner();
      await first.start();
      await caughtUp(first);
      await first.stop();
      const before = await head();
      const snapshot = await view(1);

      let broken = true;
      await append(caseStreams(10, 'late'));
      // All of them visible before starting, so the failing event shares one batch with the events before it.
      await log();
      const failing = runner({ projectors: [caseProjector({ failWhen: (e) => broken && (e.data as { caseId: string }).caseId === 'late-5' })] });
      await failing.start();
      await eventually(async () => expect((await failing.status())[0]!.state).to.equal('failed'));
      expect(await stores.readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(before);
      expect(await view(1)).to.deep.equal(snapshot);

      broken = false;
      await caughtUp(failing);
      expect(await view(1)).to.deep.equal(await expected());
    });

    it('resumes after a restart from the stored checkpoint without reapplying events', async () => {
      const applied: string[] = [];
      await append(caseStreams(15, 'a'));
      const first = runner({ projectors: [caseProjector({ applied })] });
      await first.start();
      await caughtUp(first);
      await first.stop();
      await append(caseStreams(15, 'b'));
      const second = runner({ projectors: [caseProjector({ applied })] });
      await second.start();
      await caughtUp(second);
      expect(applied).to.deep.equal((await log()).map((e) => e.metadata.eventId));
      expect(await view(1)).to.deep.equal(await expected());
    });

    it('given a rebuild write that fails with later batches in flight, then it resumes from its checkpoint and ends with the same documents', async () => {
      await append(caseStreams(60));
      const r0 = runner();
      await r0.start();
      await caughtUp(r0);
      await r0.stop();
      // Every rebuild batch touches the department documents, so open batches always share documents.
      const rebuildKey = checkpointKey('case-summary', 2);
      let checkpoints = 0;
      let failed = 0;
      // The fourth batch's transaction fails after writing its documents, as a full disk would.
      const failing = rewiredWrites(stores.readStore, (tx) => ({
        setCheckpoint: async (key, checkpoint) => {
          if (key === rebuildKey && ++checkpoints === 4) {
            failed += 1;
            throw new Error('write refused once');
          }
          return tx.setCheckpoint(key, checkpoint);
        },
      }));
      const r = runner({ readStore: failing, rebuildBatchSize: 7 });
      const result = await r.rebuild('case-summary');
      expect(await view(2)).to.deep.equal(await expected());
      expect(result).to.deep.include({ version: 2, checkpoint: formatCheckpoint(await head()) });
      expect(failed).to.equal(1);
      expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('rebuild batch failed'))).to.equal(true);
    });

    it('rebuilds beside the serving version, switches when caught up, and ends with the same documents', async () => {
      const { store, control } = holdable(stores.eventStore);
      await append(caseStreams(60));
      const r = runner({ eventStore: store, rebuildBatchSize: 25 });
      await r.start();
      await caughtUp(r);
      const incremental = await view(1);

      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let holding = false;
      control.hold = (after) => {
        if (after.prepare === 0n || holding) return undefined;
        holding = true;
        return held;
      };
      const rebuilt = r.rebuild('case-summary');
      await eventually(() => expect(holding).to.equal(true));
      // Version 1 keeps serving, and keeps up with new events, while version 2 is half built.
      await stores.eventStore.append('case-during', [caseEvent('CaseSubmitted', 'during', 'tax')], { expectedRevision: 'no_stream' });
      appended += 1;
      await eventually(async () => expect(await stores.readStore.get('cases_v1', 'during')).to.include({ status: 'submitted' }));
      const incrementalNow = await view(1);
      expect(await activeCollection(stores.readStore, 'case-summary', 'cases')).to.equal('cases_v1');
      expect((await r.status())[0]).to.deep.include({ activeVersion: 1, state: 'rebuilding' });
      expect((await stores.readStore.find('cases_v2', {})).total).to.be.lessThan(incremental.cases!.length);

      release();
      const result = await rebuilt;
      expect(result).to.deep.include({ version: 2, previousVersion: 1, checkpoint: formatCheckpoint(await head()) });
      expect(await activeCollection(stores.readStore, 'case-summary', 'cases')).to.equal('cases_v2');
      expect(await view(2)).to.deep.equal(incrementalNow);
      expect(await view(2)).to.deep.equal(await expected());
      await eventually(async () => expect((await stores.readStore.find('cases_v1', {})).total).to.equal(0));
    });

    describe('by stream', () => {
      /** Cases whose events arrive interleaved: round r appends the r-th event of every case before any (r+1)-th. */
      const appendInterleaved = async (count: number) => {
        for (const round of [0, 1, 2]) {
          for (let i = 0; i < count; i += 1) {
            if (round === 2 && i % 5 !== 0) continue;
            const type = (['CaseSubmitted', 'CaseApproved', 'CaseWithdrawn'] as const)[round]!;
            await stores.eventStore.append(`case-s${i}`, [caseEvent(type, `s${i}`, 'tax')], { expectedRevision: round === 0 ? 'no_stream' : BigInt(round - 1) });
            appended += 1;
          }
        }
      };
      const docs = async (version: number) => (await stores.readStore.find(`cases_v${version}`, {})).items;
      const folded = async (projector = caseDocsProjector()) =>
        [...foldView(projector, await log()).get('cases')!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, doc]) => doc);
      /** The real store, with every readByStream query recorded and a hook after each. */
      const watched = (real: EventStore) => {
        const queries: ReadByStreamQuery[] = [];
        const hooks: { afterRead?: (call: number) => Promise<void> | void; beforeRead?: (call: number) => Promise<void> | void } = {};
        const store: EventStore = {
          ...real,
          kind: real.kind,
          append: (stream, events, options) => real.append(stream, events, options),
          readStream: (stream, options) => real.readStream(stream, options),
          readAll: (after, size) => real.readAll(after, size),
          subscribe: (after, handler, options) => real.subscribe(after, handler, options),
          head: () => real.head!(),
          readByStream: async (query) => {
            queries.push(query);
            await hooks.beforeRead?.(queries.length);
            const events = await real.readByStream!(query);
            await hooks.afterRead?.(queries.length);
            return events;
          },
          ping: () => real.ping(),
          close: () => real.close(),
        };
        return { store, queries, hooks };
      };

      it('given a stream-scoped projector, when rebuilt, then it replays a cut of the log case by case, catches up after the cut in log order, and ends with the documents of a plain fold of the whole log', async () => {
        await appendInterleaved(30);
        const { store, queries, hooks } = watched(stores.eventStore);
        const r = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
        await r.start();
        await caughtUp(r);
        // The first fill (itself by stream) has to be over before a rebuild may start.
        await eventually(async () => expect((await r.status())[0]!.state).to.equal('running'));
        queries.length = 0;
        // Events appended once the replay has its cut: one to a case already replayed, one opening a new case.
        hooks.afterRead = async (call) => {
          if (call !== 1) return;
          await stores.eventStore.append('case-s0', [caseEvent('CaseApproved', 's0', 'tax')], { expectedRevision: 'any' });
          await stores.eventStore.append('case-after-cut', [caseEvent('CaseSubmitted', 'after-cut', 'tax')], { expectedRevision: 'no_stream' });
          appended += 2;
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
        const { store, queries } = watched(stores.eventStore);
        const r = runner({ eventStore: store, projectors: [caseDocsProjector()], rebuildBatchSize: 7 });
        await r.start();
        await caughtUp(r);
        expect(queries[0]?.after, 'the fill read the log by stream').to.equal(null);
        expect(await activeCollection(stores.readStore, 'case-docs', 'cases')).to.equal('cases_v1');
        expect(await docs(1)).to.deep.equal(await folded());
        await stores.eventStore.append('case-later', [caseEvent('CaseSubmitted', 'later', 'tax')], { expectedRevision: 'no_stream' });
        appended += 1;
        await caughtUp(r);
        expect(await docs(1)).to.deep.equal(await folded());
        expect((await r.status())[0]).to.deep.include({ state: 'running', activeVersion: 1 });
      });

      it('given a first fill stopped during its replay, when a runner starts again, then it goes on from the stored place', async () => {
        await appendInterleaved(40);
        const { store, queries, hooks } = watched(stores.eventStore);
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
        const stored = await readStreamReplayMark(stores.readStore, checkpointKey('case-docs', 1));
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
        const failing = rewiredWrites(stores.readStore, (tx) => ({
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
        const { store, queries } = watched(stores.eventStore);
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
        const { store, queries } = watched(stores.eventStore);
        let marks = 0;
        let failed = 0;
        const failing = rewiredWrites(stores.readStore, (tx) => ({
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

        const { store, queries, hooks } = watched(stores.eventStore);
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
        const stored = await readStreamReplayMark(stores.readStore, checkpointKey('case-docs', 2));
        expect(stored.after, 'a place in the replay was committed').to.not.equal(null);
        expect(await activeCollection(stores.readStore, 'case-docs', 'cases')).to.equal('cases_v1');

        queries.length = 0;
        const resumed = runner({ eventStore: store, projectors: [caseDocsProjector({ version: 2 })], rebuildBatchSize: 7 });
        await resumed.start();
        await eventually(async () => expect(await activeCollection(stores.readStore, 'case-docs', 'cases')).to.equal('cases_v2'), 30_000);
        expect(queries[0]!.after).to.deep.equal(stored.after);
        expect(await docs(2)).to.deep.equal(await folded());
      });
    });
  });
}

runnerSuite('PostgreSQL (event store and read store)', async () => {
  const db = await createTestDatabase('projection_runner');
  const eventStore = await createPostgresEventStore({ connectionString: db.url, poolSize: 4 });
  const readStore = createPostgresReadStore({ connectionString: db.url, maxConnections: 4 });
  return {
    eventStore,
    readStore,
    async dispose() {
      await eventStore.close();
      await readStore.close();
      await db.drop();
    },
  };
});

runnerSuite('PGlite (own instance: the shared one holds another suite’s event tables)', async () => {
  const pglite = new PGlite();
  const eventStore = await createPGliteEventStore({ pglite });
  const readStore = createPGliteReadStore({ pglite });
  return {
    eventStore,
    readStore,
    async dispose() {
      await eventStore.close();
      await readStore.close();
      await pglite.close();
    },
  };
});
