import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { formatCheckpoint, type Checkpoint } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import {
  activeCollection,
  checkpointKey,
  createProjectionRunner,
  projectionCheckpoint,
  readProjectionMeta,
  type ProjectionRunner,
  type ProjectionRunnerOptions,
  type RebuildProgress,
} from '../../projections/index.ts';
import { createMemoryEventStore, type MemoryEventStore } from './projection-runner-event-store.ts';
import { T0, caseEvent, caseProjector, collectingLogger, eventually } from './projection-runner-fixtures.ts';

describe('projection runner (in-memory stores)', () => {
  let events: MemoryEventStore;
  let readStore: ReadStore;
  let runners: ProjectionRunner[];
  const logger = collectingLogger();

  const runner = (options: Partial<ProjectionRunnerOptions> = {}) => {
    const created = createProjectionRunner({
      eventStore: events,
      readStore,
      projectors: [caseProjector()],
      logger,
      idleMs: 2,
      retryDelayMs: 5,
      dropDelayMs: 0,
      ...options,
    });
    runners.push(created);
    return created;
  };
  const head = (): Checkpoint => events.events.at(-1)!.checkpoint;
  const caughtUp = (r: ProjectionRunner) =>
    eventually(async () => {
      const [status] = await r.status();
      expect(status!.checkpoint).to.equal(formatCheckpoint(head()));
      return status!;
    });
  const all = async (collection: string) => (await readStore.find(collection, {})).items;

  beforeEach(() => {
    events = createMemoryEventStore();
    readStore = createMemoryReadStore();
    runners = [];
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
  });

  it('given events, when started, then documents and the checkpoint reflect every event', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', '卫健委'), caseEvent('CaseApproved', 'c1', '卫健委')], { expectedRevision: 'no_stream' });
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', '卫健委')], { expectedRevision: 'no_stream' });
    await events.append('case-3', [caseEvent('CaseSubmitted', 'c3', 'transport'), caseEvent('CaseWithdrawn', 'c3', 'transport')], { expectedRevision: 'no_stream' });
    const r = runner({ batchSize: 2 });
    await r.start();
    await caughtUp(r);

    expect(await readStore.get('cases_v1', 'c1')).to.include({ status: 'approved', dept: '卫健委' });
    expect(await readStore.get('cases_v1', 'c3')).to.equal(null);
    expect(await readStore.get('dept_stats_v1', '卫健委')).to.deep.equal({ id: '卫健委', cases: { c1: 'approved', c2: 'submitted' }, open: 1 });
    expect(await readStore.get('dept_stats_v1', 'transport')).to.deep.equal({ id: 'transport', cases: {}, open: 0 });
    expect(await readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(head());
    expect(await projectionCheckpoint(readStore, 'case-summary')).to.deep.equal(head());
    expect(await activeCollection(readStore, 'case-summary', 'cases')).to.equal('cases_v1');
  });

  it('given a projector that throws midway through a batch, then neither its documents nor the checkpoint are written, and it retries from the stored checkpoint', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const first = runner();
    await first.start();
    await caughtUp(first);
    await first.stop();
    const before = head();

    let broken = true;
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health'), caseEvent('CaseApproved', 'c2', 'health'), caseEvent('CaseSubmitted', 'c2b', 'health')], {
      expectedRevision: 'no_stream',
    });
    const failing = runner({ projectors: [caseProjector({ failWhen: (e) => broken && e.type === 'CaseApproved' })] });
    await failing.start();
    const failed = await eventually(async () => {
      const [status] = await failing.status();
      expect(status!.state).to.equal('failed');
      return status!;
    });
    expect(failed.lastError).to.contain('projector bug on CaseApproved');
    expect(failed.checkpoint).to.equal(formatCheckpoint(before));
    // c2's submission came before the failing event in the same batch, yet nothing of the batch landed.
    expect(await readStore.get('cases_v1', 'c2')).to.equal(null);
    expect(await readStore.get('dept_stats_v1', 'health')).to.deep.equal({ id: 'health', cases: { c1: 'submitted' }, open: 1 });
    expect(await readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.deep.equal(before);
    expect(logger.lines.some((l) => l.level === 'error' && l.fields.projection === 'case-summary')).to.equal(true);

    broken = false;
    const recovered = await caughtUp(failing);
    expect(recovered.state).to.equal('running');
    expect(await readStore.get('cases_v1', 'c2')).to.include({ status: 'approved' });
    expect(await readStore.get('dept_stats_v1', 'health')).to.deep.include({ open: 2 });
  });

  it('given a stopped runner, when a new one starts, then it resumes from the checkpoint without reapplying events', async () => {
    const applied: string[] = [];
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const first = runner({ projectors: [caseProjector({ applied })] });
    await first.start();
    await caughtUp(first);
    await first.stop();

    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health'), caseEvent('CaseApproved', 'c2', 'health')], { expectedRevision: 'no_stream' });
    const second = runner({ projectors: [caseProjector({ applied })] });
    await second.start();
    const status = await caughtUp(second);

    expect(applied).to.deep.equal(events.events.map((e) => e.metadata.eventId));
    expect(status.eventsProcessed).to.equal(2);
    expect(await readStore.get('dept_stats_v1', 'health')).to.deep.equal({ id: 'health', cases: { c1: 'submitted', c2: 'approved' }, open: 1 });
  });

  it('given unprocessed events, then status() reports the lag behind the head, and zero lag with counts once caught up', async () => {
    const clock = new SimulatedClock('2026-03-02T09:01:30.000Z');
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health', T0)], { expectedRevision: 'no_stream' });
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health', '2026-03-02T09:01:00.000Z')], { expectedRevision: 'no_stream' });
    const r = runner({ clock });

    const [idle] = await r.status();
    expect(idle).to.deep.include({ name: 'case-summary', version: 1, activeVersion: null, checkpoint: '0/0', eventsProcessed: 0, lagMs: 90_000, state: 'stopped' });

    await r.start();
    const [running] = await eventually(async () => {
      const statuses = await r.status();
      expect(statuses[0]!.lagMs).to.equal(0);
      return statuses;
    });
    expect(running).to.deep.include({ activeVersion: 1, eventsProcessed: 2, lastEventAt: '2026-03-02T09:01:00.000Z', state: 'running', lastError: null, rebuild: null });
    expect(running!.checkpoint).to.equal(formatCheckpoint(head()));
  });

  it('when rebuilt, then the old version serves until the new one has caught up, and the new one holds the same documents', async () => {
    for (let i = 0; i < 30; i++) {
      const dept = i % 3 === 0 ? 'health' : 'transport';
      const stream = [caseEvent('CaseSubmitted', `c${i}`, dept)];
      if (i % 2 === 0) stream.push(caseEvent('CaseApproved', `c${i}`, dept));
      if (i % 5 === 0) stream.push(caseEvent('CaseWithdrawn', `c${i}`, dept));
      await events.append(`case-${i}`, stream, { expectedRevision: 'no_stream' });
    }
    const r = runner({ rebuildBatchSize: 10 });
    await r.start();
    await caughtUp(r);
    const incremental = { cases: await all('cases_v1'), stats: await all('dept_stats_v1') };

    // Hold the rebuild after its second batch of ten, i.e. while it is still far from the head.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holdAt = events.events[19]!.checkpoint;
    let holding = false;
    events.beforeRead = async (after) => {
      if (after.prepare === holdAt.prepare) {
        holding = true;
        await held;
      }
    };
    const progress: RebuildProgress[] = [];
    const rebuilt = r.rebuild('case-summary', (p) => progress.push(p));
    await eventually(() => expect(holding).to.equal(true));

    // The read of the third batch is held; the second (read ahead) may still be landing.
    const [during] = await eventually(async () => {
      const statuses = await r.status();
      expect(statuses[0]!.rebuild).to.deep.include({ version: 2, eventsProcessed: 20 });
      return statuses;
    });
    expect(during).to.deep.include({ activeVersion: 1, state: 'rebuilding' });
    expect(await activeCollection(readStore, 'case-summary', 'cases')).to.equal('cases_v1');
    expect(await all('cases_v1')).to.deep.equal(incremental.cases);
    expect((await readStore.find('cases_v2', {})).total).to.be.lessThan(incremental.cases.length);

    release();
    const result = await rebuilt;
    expect(result).to.deep.include({ name: 'case-summary', version: 2, previousVersion: 1, checkpoint: formatCheckpoint(head()) });
    expect(await activeCollection(readStore, 'case-summary', 'cases')).to.equal('cases_v2');
    expect(await all('cases_v2')).to.deep.equal(incremental.cases);
    expect(await all('dept_stats_v2')).to.deep.equal(incremental.stats);
    await eventually(async () => expect((await readStore.find('cases_v1', {})).total).to.equal(0));
    expect(progress.at(-1)).to.deep.include({ phase: 'done', version: 2, fraction: 1 });
    expect(progress.some((p) => p.phase === 'catching-up' && p.fraction !== null && p.fraction > 0 && p.fraction < 1)).to.equal(true);

    // The runner now keeps version 2 current.
    await events.append('case-new', [caseEvent('CaseSubmitted', 'new', 'health')], { expectedRevision: 'no_stream' });
    const [after] = await eventually(async () => {
      expect(await readStore.get('cases_v2', 'new')).to.include({ status: 'submitted' });
      return r.status();
    });
    expect(after).to.deep.include({ activeVersion: 2, state: 'running' });
  });

  it('given a new projector version in code, when started, then it rebuilds into the new version while the old one serves, then switches', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const v1 = runner();
    await v1.start();
    await caughtUp(v1);
    await v1.stop();

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    events.beforeRead = (after) => (after.prepare === 0n ? held : undefined);
    const v2 = runner({ projectors: [caseProjector({ version: 2 })] });
    await v2.start();
    const [during] = await v2.status();
    expect(during).to.deep.include({ version: 2, activeVersion: 1, state: 'rebuilding' });
    expect(await readStore.get((await activeCollection(readStore, 'case-summary', 'cases')), 'c1')).to.include({ status: 'submitted' });

    release();
    await eventually(async () => expect((await readProjectionMeta(readStore, 'case-summary'))?.activeVersion).to.equal(2));
    expect(await readStore.get('cases_v2', 'c1')).to.include({ label: 'health:c1' });
    const [status] = await caughtUp(v2).then(() => v2.status());
    expect(status).to.deep.include({ version: 2, activeVersion: 2, state: 'running' });
    await eventually(async () => expect((await readStore.find('cases_v1', {})).total).to.equal(0));
  });

  it('given a runner serving a version, when another runner rebuilds and switches, then the first follows to the new version', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const serving = runner();
    await serving.start();
    await caughtUp(serving);

    const tool = runner();
    await tool.rebuild('case-summary');
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health')], { expectedRevision: 'no_stream' });
    await eventually(async () => expect(await readStore.get('cases_v2', 'c2')).to.include({ status: 'submitted' }));
    const [status] = await serving.status();
    expect(status).to.deep.include({ activeVersion: 2, state: 'running' });
  });

  it('given the old version\'s second collection cannot be dropped after the switch, then the rebuild ends switched: the new version serves and stays current, never the half-dropped old one', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const r = runner();
    await r.start();
    await caughtUp(r);
    const drop = readStore.dropCollection.bind(readStore);
    let refused = false;
    readStore.dropCollection = async (collection) => {
      if (collection === 'dept_stats_v1' && !refused) {
        refused = true;
        throw new Error('canceling statement due to statement timeout');
      }
      return drop(collection);
    };
    const result = await r.rebuild('case-summary');
    expect(result).to.deep.include({ version: 2, previousVersion: 1 });
    expect(refused).to.equal(true);
    expect(await readProjectionMeta(readStore, 'case-summary')).to.deep.include({ activeVersion: 2, rebuilding: null });
    expect(logger.lines.some((line) => line.message === 'old projection version not dropped; drop it by hand')).to.equal(true);
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health')], { expectedRevision: 'no_stream' });
    await eventually(async () => expect(await readStore.get('cases_v2', 'c2')).to.include({ status: 'submitted' }));
    const [status] = await r.status();
    expect(status).to.deep.include({ activeVersion: 2, state: 'running' });
  });

  it('given the new version\'s checkpoint unreadable for a moment right after the switch, then its lane starts again on its own and the projection keeps following the log', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const r = runner();
    await r.start();
    await caughtUp(r);
    const read = readStore.getCheckpoint.bind(readStore);
    let refused = 0;
    readStore.getCheckpoint = async (key) => {
      const switched = (await readProjectionMeta(readStore, 'case-summary'))?.activeVersion === 2;
      if (switched && key === checkpointKey('case-summary', 2) && refused === 0) {
        refused += 1;
        throw new Error('connection terminated unexpectedly');
      }
      return read(key);
    };
    await r.rebuild('case-summary').catch(() => undefined);
    expect(refused).to.equal(1);
    expect(await readProjectionMeta(readStore, 'case-summary')).to.deep.include({ activeVersion: 2 });
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health')], { expectedRevision: 'no_stream' });
    await eventually(async () => expect(await readStore.get('cases_v2', 'c2')).to.include({ status: 'submitted' }));
  });

  it('given a rebuild that fails at the switch (its last catch-up, after the serving lane was retired), then the old version serves on and keeps following the log', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const r = runner({ rebuildAttempts: 2 });
    await r.start();
    await caughtUp(r);
    let down = false;
    events.beforeRead = () => {
      if (down) throw new Error('the event store is unreachable');
    };
    let failed: unknown;
    await r.rebuild('case-summary', (p) => void (p.phase === 'switching' && (down = true))).catch((error: unknown) => (failed = error));
    expect(String(failed)).to.contain('unreachable');
    down = false;
    expect(await readProjectionMeta(readStore, 'case-summary')).to.deep.include({ activeVersion: 1, rebuilding: null });
    await events.append('case-2', [caseEvent('CaseSubmitted', 'c2', 'health')], { expectedRevision: 'no_stream' });
    await eventually(async () => expect(await readStore.get('cases_v1', 'c2')).to.include({ status: 'submitted' }));
  });

  it('given a rebuild that keeps failing, then it gives up, the old version still serves and nothing is left marked', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    let broken = false;
    const r = runner({ projectors: [caseProjector({ failWhen: () => broken })], rebuildAttempts: 2 });
    await r.start();
    await caughtUp(r);
    broken = true;

    let failed: unknown;
    await r.rebuild('case-summary').catch((error: unknown) => (failed = error));
    expect(String(failed)).to.contain('projector bug on CaseSubmitted');
    expect(await readProjectionMeta(readStore, 'case-summary')).to.deep.include({ activeVersion: 1, rebuilding: null });
    expect(await readStore.get(await activeCollection(readStore, 'case-summary', 'cases'), 'c1')).to.include({ status: 'submitted' });
    const [status] = await r.status();
    expect(status).to.deep.include({ activeVersion: 1, state: 'running', rebuild: null });
    expect(status!.lastError).to.contain('projector bug');
  });

  it('given a projector reading a document keys() did not name, then the batch fails with a message naming it', async () => {
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const sneaky = { ...caseProjector(), keys: () => [] };
    const r = runner({ projectors: [sneaky] });
    await r.start();
    const [status] = await eventually(async () => {
      const statuses = await r.status();
      expect(statuses[0]!.state).to.equal('failed');
      return statuses;
    });
    expect(status!.lastError).to.contain('keys() did not name');
    expect(await readStore.getCheckpoint(checkpointKey('case-summary', 1))).to.equal(null);
  });

  it('refuses two projectors with one name and rebuilds of unknown projections', async () => {
    expect(() => runner({ projectors: [caseProjector(), caseProjector()] })).to.throw(/two projectors/);
    let failed: unknown;
    await runner()
      .rebuild('nope')
      .catch((error: unknown) => (failed = error));
    expect(String(failed)).to.contain('no projector named "nope"');
  });
});
