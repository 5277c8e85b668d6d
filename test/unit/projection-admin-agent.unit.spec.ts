import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { createProjectionRunner, rebuildKey, startAdminAgent, type RebuildRequest } from '../../projections/index.ts';
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
});
