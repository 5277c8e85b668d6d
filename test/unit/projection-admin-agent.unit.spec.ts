import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { activeCollection, createProjectionRunner, rebuildKey, requestRebuild, startAdminAgent, type RebuildRequest } from '../../projections/index.ts';
import { createMemoryEventStore } from './projection-runner-event-store.ts';
import { caseEvent, caseProjector, collectingLogger, eventually } from './projection-runner-fixtures.ts';

describe('projection admin agent: rebuilds asked for through the API', () => {
  it('given a request left running by this very worker (its lease was lost mid-rebuild, then taken back, or the process restarted under the same host:pid), when the agent holds the lease again, then it carries the request out instead of leaving it running for ever', async () => {
    const events = createMemoryEventStore();
    const readStore = createMemoryReadStore();
    await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
    const runner = createProjectionRunner({ eventStore: events, readStore, projectors: [caseProjector()], logger: collectingLogger(), idleMs: 2, retryDelayMs: 5, dropDelayMs: 0 });
    await runner.start();
    await readStore.raiseFence('case-summary', 2);
    const stuck: RebuildRequest = {
      id: 'erasure-rebuild-1', state: 'running', requestedAt: '2026-12-04T10:00:00.000Z', worker: 'worker-host:1',
      startedAt: '2026-12-04T10:00:01.000Z', finishedAt: null, version: null, error: null,
    };
    await readStore.setMeta(rebuildKey('case-summary'), { ...stuck });
    const agent = startAdminAgent({ runner, readStore, tokens: () => new Map([['case-summary', 2]]), worker: 'worker-host:1', intervalMs: 10, logger: collectingLogger() });
    try {
      const done = await eventually(async () => {
        const request = (await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest;
        expect(request.state).to.equal('done');
        return request;
      });
      expect(done).to.include({ id: 'erasure-rebuild-1', version: 2, worker: 'worker-host:1' });
    } finally {
      await agent.stop();
      await runner.stop();
    }
  });

  describe('a rebuild asked for afresh (after a shredding) while another runs', () => {
    /**
     * The log as a rebuild reads it: cases named in `erased` read "erased" (their keys destroyed), and the first
     * rebuild is held after its first batch, by which time it has read case c1 in clear.
     */
    function shreddableLog(events: EventStore, erased: Set<string>) {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let reads = 0;
      let rebuilds = 0;
      const reading = (batch: RecordedEvent[]) => batch.map((e) => (erased.has(String(e.data.caseId)) ? { ...e, data: { ...e.data, dept: '[erased]' } } : e));
      const source = (): EventStore => {
        const rebuild = ++rebuilds;
        return {
          ...events,
          readAll: async (after, batchSize) => {
            const batch = reading(await events.readAll(after, batchSize));
            if (rebuild === 1 && ++reads === 2) await held;
            return batch;
          },
        };
      };
      return { source, release, rebuilds: () => rebuilds, reads: () => reads };
    }

    it('given a rebuild that already read a case in clear, when that case is shredded and a rebuild is asked for afresh, then another rebuild runs after it and the view reads "erased"; asked for the usual way, the running one would have stood for it', async () => {
      const events = createMemoryEventStore();
      const readStore = createMemoryReadStore();
      await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
      const erased = new Set<string>();
      const log = shreddableLog(events, erased);
      const runner = createProjectionRunner({ eventStore: events, rebuildEventStore: log.source, readStore, projectors: [caseProjector()], logger: collectingLogger(), idleMs: 2, retryDelayMs: 5, dropDelayMs: 0, batchSize: 1, rebuildBatchSize: 1 });
      await runner.start();
      await readStore.raiseFence('case-summary', 1);
      const agent = startAdminAgent({ runner, readStore, tokens: () => new Map([['case-summary', 1]]), worker: 'worker-host:1', intervalMs: 10, logger: collectingLogger() });
      try {
        await requestRebuild(readStore, 'case-summary', 'deploy-rebuild', new Date());
        await eventually(() => expect(log.reads()).to.equal(2));
        const running = (await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest;
        expect(running).to.include({ id: 'deploy-rebuild', state: 'running' });

        erased.add('c1');
        expect(await requestRebuild(readStore, 'case-summary', 'after-shredding', new Date(), { afresh: true })).to.include({ id: 'after-shredding', state: 'requested' });
        log.release();

        const done = await eventually(async () => {
          const request = (await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest;
          expect(request).to.include({ id: 'after-shredding', state: 'done' });
          return request;
        });
        expect(done.version).to.equal(3);
        expect(log.rebuilds()).to.equal(2);
        expect(await readStore.get(await activeCollection(readStore, 'case-summary', 'cases'), 'c1')).to.include({ dept: '[erased]' });
        // Owed once: later rounds start nothing more.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(log.rebuilds()).to.equal(2);
      } finally {
        log.release();
        await agent.stop();
        await runner.stop();
      }
    });

    it('given a rebuild asked for afresh while none runs, then the agent carries it out once, and a rebuild that started after it covers it', async () => {
      const events = createMemoryEventStore();
      const readStore = createMemoryReadStore();
      await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
      let rebuilds = 0;
      const runner = createProjectionRunner({ eventStore: events, rebuildEventStore: () => (rebuilds++, events), readStore, projectors: [caseProjector()], logger: collectingLogger(), idleMs: 2, retryDelayMs: 5, dropDelayMs: 0 });
      await runner.start();
      await readStore.raiseFence('case-summary', 1);
      await requestRebuild(readStore, 'case-summary', 'after-shredding', new Date(), { afresh: true });
      await requestRebuild(readStore, 'case-summary', 'deploy-rebuild', new Date());
      const agent = startAdminAgent({ runner, readStore, tokens: () => new Map([['case-summary', 1]]), worker: 'worker-host:1', intervalMs: 10, logger: collectingLogger() });
      try {
        const done = await eventually(async () => {
          const request = (await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest;
          expect(request).to.include({ id: 'deploy-rebuild', state: 'done', covers: 'after-shredding' });
          return request;
        });
        expect(done.version).to.equal(2);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(rebuilds).to.equal(1);
      } finally {
        await agent.stop();
        await runner.stop();
      }
    });
  
    it('given an owed rebuild that failed (the database away longer than its attempts), then the agent tries it again after the retry period until it is done, instead of leaving the erased values in the views', async () => {
      const events = createMemoryEventStore();
      const readStore = createMemoryReadStore();
      await events.append('case-1', [caseEvent('CaseSubmitted', 'c1', 'health')], { expectedRevision: 'no_stream' });
      let rebuilds = 0;
      const source = (): EventStore => {
        rebuilds += 1;
        if (rebuilds > 1) return events;
        return { ...events, readAll: async () => Promise.reject(new Error('connection refused')) };
      };
      const logger = collectingLogger();
      const runner = createProjectionRunner({ eventStore: events, rebuildEventStore: source, readStore, projectors: [caseProjector()], logger: collectingLogger(), idleMs: 2, retryDelayMs: 5, dropDelayMs: 0, rebuildAttempts: 1 });
      await runner.start();
      await readStore.raiseFence('case-summary', 1);
      await requestRebuild(readStore, 'case-summary', 'after-shredding', new Date(), { afresh: true });
      const agent = startAdminAgent({ runner, readStore, tokens: () => new Map([['case-summary', 1]]), worker: 'worker-host:1', intervalMs: 10, owedRetryMs: 200, logger });
      try {
        await eventually(async () => {
          expect(((await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest).state).to.equal('failed');
        });
        expect(logger.lines.some((l) => l.level === 'error' && l.fields.request === 'after-shredding')).to.equal(true);
        const done = await eventually(async () => {
          const request = (await readStore.getMeta(rebuildKey('case-summary'))) as unknown as RebuildRequest;
          expect(request).to.include({ id: 'after-shredding', state: 'done' });
          return request;
        });
        expect(done.version).to.equal(2);
        expect(rebuilds).to.equal(2);
      } finally {
        await agent.stop();
        await runner.stop();
      }
    });
  });
});
