import { expect } from 'chai';
import { createCaseJobsReactor } from '../../adapters/reactors/case-jobs-reactor.ts';
import { createMemoryReadStore } from '../../adapters/read-store/index.ts';
import { createInProcessQueue } from '../../adapters/queue/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { CaseNotFoundError } from '../../domain/case/errors.ts';
import { systemClock } from '../../domain/time/clock.ts';
import type { CaseState } from '../../workflows/index.ts';

const OPEN_CASES = 'reactor_open_cases';

describe('case-jobs reactor resync', () => {
  it('given 600 open cases of which some close while the resync runs, when it runs, then every case still open is re-derived', async () => {
    const readStore = createMemoryReadStore();
    const ids = Array.from({ length: 600 }, (_, i) => `case-${String(i).padStart(4, '0')}`);
    await readStore.transaction((tx) => tx.putMany(OPEN_CASES, ids.map((caseId) => ({ id: caseId, doc: { caseId, open: true } }))));
    const seen = new Set<string>();
    const closed = new Set<string>();
    const queue = createInProcessQueue();
    const reactor = createCaseJobsReactor({
      eventStore: {} as EventStore,
      readStore,
      queue,
      clock: systemClock,
      timeZone: 'Asia/Shanghai',
      calendar: () => {
        throw new Error('not reached: loadCase refuses every case');
      },
      // Each case re-derived closes one already covered, as cases settle while a long resync runs; the refusal
      // (a DomainError) keeps the test on what resync visits, not on the jobs a real case would derive.
      loadCase: async (caseId): Promise<CaseState> => {
        seen.add(caseId);
        const done = [...seen].find((id) => !closed.has(id) && id !== caseId);
        if (done) {
          closed.add(done);
          await readStore.transaction((tx) => tx.put(OPEN_CASES, done, { caseId: done, open: false }));
        }
        throw new CaseNotFoundError(caseId);
      },
      enqueueEvidence: async () => undefined,
    });
    try {
      const count = await reactor.resync();
      const missed = ids.filter((id) => !seen.has(id));
      expect(missed, 'open cases the resync never visited').to.deep.equal([]);
      expect(count).to.equal(600);
    } finally {
      await queue.close();
    }
  });
});
