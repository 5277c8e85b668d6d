import { expect } from 'chai';
import { createCaseJobsReactor, type CaseJobsReactorOptions } from '../../adapters/reactors/case-jobs-reactor.ts';
import { createMemoryReadStore } from '../../adapters/read-store/index.ts';
import type { EventStore, Subscription } from '../../domain/ports/event-store.ts';
import type { JobQueue } from '../../domain/ports/queue.ts';
import { loadCalendar } from '../../adapters/files/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import type { CaseState } from '../../workflows/index.ts';
import { INSTANT, givenCase, history } from '../support/case-fixtures.ts';

const calendar = loadCalendar('CN');
const CASES = ['c0ffee00-0000-4000-8000-000000000001', 'c0ffee00-0000-4000-8000-000000000002'];

/** A case gathering evidence: two deadline limits (warning and overdue timers each) and one evidence fetch. */
const gathering = () => givenCase(INSTANT, [history.drafted(INSTANT), history.submitted(), history.accepted(), history.requested('insurance', 'social-insurance', 'HRSS')]);

function recorded(caseId: string, revision: bigint, position: bigint): RecordedEvent {
  return {
    type: 'Whatever',
    data: {},
    metadata: { eventId: `${caseId}-${revision}`, schemaVersion: 1, occurredAt: '2026-03-02T02:00:00Z', correlationId: 'c', causationId: 'c', actor: { kind: 'system', id: 't' }, commandId: 'c' },
    streamId: caseStream(caseId),
    revision,
    position,
    checkpoint: { commit: position, prepare: position },
  };
}

describe('case-jobs reactor following the log', () => {
  const given = (extra: Partial<CaseJobsReactorOptions> = {}) => {
    const adds: string[] = [];
    const replacing: boolean[] = [];
    const loads: Array<{ caseId: string; atLeast: bigint | undefined }> = [];
    let deliver: ((batch: RecordedEvent[]) => Promise<void>) | null = null;
    const eventStore = {
      subscribe: (_after: unknown, handler: (batch: RecordedEvent[]) => Promise<void>): Subscription => {
        deliver = handler;
        return { stop: async () => undefined, checkpoint: null } as unknown as Subscription;
      },
    } as unknown as EventStore;
    const queue = {
      kind: 'in-process',
      add: async (_q: string, _n: string, _p: unknown, o: { jobId: string; replaceFinished?: boolean }) => {
        adds.push(o.jobId);
        replacing.push(o.replaceFinished === true);
      },
    } as unknown as JobQueue;
    const readStore = createMemoryReadStore();
    const reactor = createCaseJobsReactor({
      eventStore,
      readStore,
      queue,
      clock: systemClock,
      timeZone: 'Asia/Shanghai',
      calendar: () => calendar,
      loadCase: async (caseId, atLeast): Promise<CaseState> => {
        loads.push({ caseId, atLeast });
        return { ...gathering(), context: { ...gathering().context, caseId } };
      },
      enqueueEvidence: async (_payload, jobId, replaceFinished) => {
        adds.push(jobId);
        replacing.push(replaceFinished);
      },
      ...extra,
    });
    return { reactor, adds, replacing, loads, readStore, batch: (events: RecordedEvent[]) => deliver!(events) };
  };

  it('given a batch with several events of two cases, when it is handled, then each case is loaded once at its newest revision in the batch and its jobs added once', async () => {
    const { reactor, adds, loads, batch } = given();
    await reactor.start();
    await batch([recorded(CASES[0]!, 0n, 1n), recorded(CASES[1]!, 0n, 2n), recorded(CASES[0]!, 1n, 3n), recorded(CASES[0]!, 2n, 4n)]);
    expect(loads.sort((a, b) => a.caseId.localeCompare(b.caseId))).to.deep.equal([{ caseId: CASES[0], atLeast: 2n }, { caseId: CASES[1], atLeast: 0n }]);
    // Per case: warning and overdue for both limits, and the evidence fetch.
    expect(adds).to.have.length(10);
    expect(new Set(adds).size).to.equal(10);
    await reactor.stop();
  });

  it('given jobs this reactor already added, when a later event of the case comes, then nothing is added again; a resync (the reconciler) adds every job regardless', async () => {
    const { reactor, adds, replacing, readStore, batch } = given();
    await reactor.start();
    await batch([recorded(CASES[0]!, 0n, 1n)]);
    expect(adds).to.have.length(5);
    expect(replacing, 'new ids need no check for a finished job').to.deep.equal([false, false, false, false, false]);
    await batch([recorded(CASES[0]!, 1n, 2n)]);
    expect(adds, 'the same job set derived again adds nothing').to.have.length(5);
    expect(await readStore.getCheckpoint('case-jobs')).to.deep.equal({ commit: 2n, prepare: 2n });
    expect(await reactor.resync()).to.equal(1);
    expect(adds, 'the resync re-adds each job, which re-creates one that finished without effect').to.have.length(10);
    expect(replacing.slice(5)).to.deep.equal([true, true, true, true, true]);
    await reactor.stop();
  });

  it('given an add that fails, when the batch is handled again, then the job is added then (it was not remembered as added)', async () => {
    const { reactor, adds, batch } = given();
    await reactor.start();
    const failing = adds.push.bind(adds);
    let fail = true;
    adds.push = (...ids: string[]) => {
      if (fail && ids.some((id) => id.startsWith('ev-'))) throw new Error('Redis away');
      return failing(...ids);
    };
    let thrown: unknown = null;
    await batch([recorded(CASES[0]!, 0n, 1n)]).catch((error: unknown) => (thrown = error));
    expect(String(thrown)).to.include('Redis away');
    fail = false;
    await batch([recorded(CASES[0]!, 0n, 1n)]);
    expect(adds.filter((id) => id.startsWith('ev-'))).to.have.length(1);
    await reactor.stop();
  });

  it('given a look at each case\'s limits (calendar changes), when a batch is handled and when the reconciler resyncs, then each case is handed to it, and one that fails is reported without holding up the jobs', async () => {
    const looked: string[] = [];
    const errors: unknown[] = [];
    const { reactor, adds, batch } = given({
      recheckLimits: async (state) => {
        looked.push(state.context.caseId);
        if (state.context.caseId === CASES[1]) throw new Error('store away');
      },
      onError: (error) => errors.push(error),
    });
    await reactor.start();
    await batch([recorded(CASES[0]!, 0n, 1n), recorded(CASES[1]!, 0n, 2n)]);
    expect(looked.sort()).to.deep.equal([CASES[0], CASES[1]]);
    expect(adds, 'both cases\' jobs').to.have.length(10);
    expect(errors.map(String)).to.deep.equal(['Error: store away']);
    looked.length = 0;
    expect(await reactor.resync()).to.equal(2);
    expect(looked.sort(), 'a case the last calendar pass did not list is looked at again here').to.deep.equal([CASES[0], CASES[1]]);
    await reactor.stop();
  });
});
