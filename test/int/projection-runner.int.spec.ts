import { expect } from 'chai';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { formatCheckpoint, type Checkpoint } from '../../domain/events/index.ts';
import { activeCollection, checkpointKey } from '../../projections/index.ts';
import { caseEvent, caseProjector, caseStreams, eventually, foldView } from '../unit/projection-runner-fixtures.ts';
import { STORES, rewiredWrites, runnerHarness } from './projection-runner-harness.ts';

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

for (const { name, open } of STORES) {
  describe(`projection runner over ${name}`, function () {
    // Each test opens its stores afresh: a new PGlite alone took over 40 s to start on a host running four suites.
    this.timeout(120_000);
    const h = runnerHarness(open);
    const { runner, log, head, caughtUp, logger } = h;
    const append = async (streams: ReturnType<typeof caseStreams>) => {
      for (const { stream, events } of streams) {
        await h.stores.eventStore.append(stream, events, { expectedRevision: 'no_stream' });
        h.appended += events.length;
      }
    };
    const view = async (version: number) => {
      const result: Record<string, unknown[]> = {};
      for (const c of ['cases', 'dept_stats']) result[c] = (await h.stores.readStore.find(`${c}_v${version}`, {})).items;
      return result;
    };
    const expected = async () => {
      const folded = foldView(caseProjector(), await log());
      const result: Record<string, unknown[]> = {};
      // find() orders by id in code point order, which is what a plain sort of ASCII ids gives.
      for (const [c, docs] of folded) result[c] = [...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, doc]) => doc);
      return result;
    };

    it('projects a log into documents equal to a plain fold, with the checkpoint of its last event', async () => {
      await append(caseStreams(120));
      const r = runner({ batchSize: 50 });
      await r.start();
      const status = await caughtUp(r);
      expect(await view(1)).to.deep.equal(await expected());
      expect(await h.stores.readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(await head());
      expect(status).to.deep.include({ state: 'running', lagMs: 0, eventsProcessed: h.appended });
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
      expect(await h.stores.readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(before);
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
      const failing = rewiredWrites(h.stores.readStore, (tx) => ({
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
      const { store, control } = holdable(h.stores.eventStore);
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
      await h.stores.eventStore.append('case-during', [caseEvent('CaseSubmitted', 'during', 'tax')], { expectedRevision: 'no_stream' });
      h.appended += 1;
      await eventually(async () => expect(await h.stores.readStore.get('cases_v1', 'during')).to.include({ status: 'submitted' }));
      const incrementalNow = await view(1);
      expect(await activeCollection(h.stores.readStore, 'case-summary', 'cases')).to.equal('cases_v1');
      expect((await r.status())[0]).to.deep.include({ activeVersion: 1, state: 'rebuilding' });
      expect((await h.stores.readStore.find('cases_v2', {})).total).to.be.lessThan(incremental.cases!.length);

      release();
      const result = await rebuilt;
      expect(result).to.deep.include({ version: 2, previousVersion: 1, checkpoint: formatCheckpoint(await head()) });
      expect(await activeCollection(h.stores.readStore, 'case-summary', 'cases')).to.equal('cases_v2');
      expect(await view(2)).to.deep.equal(incrementalNow);
      expect(await view(2)).to.deep.equal(await expected());
      await eventually(async () => expect((await h.stores.readStore.find('cases_v1', {})).total).to.equal(0));
    });

  });
}
