import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { withDaysLeft } from '../../projections/views/case-view/index.ts';
import { withItemDaysLeft } from '../../projections/views/work-queue/index.ts';
import { CASE_STATUSES, CLOCK_RUNNING, desiredJobs, type CaseState } from '../../workflows/index.ts';
import { ENTERPRISE, JOINT, SYSTEM, clerk, givenCase, history, types, when } from '../support/case-fixtures.ts';

const AMR = clerk('AMR');
const FIRE = clerk('FIRE', ['reviewer']);
const HEALTH = clerk('HEALTH', ['reviewer']);
const calendar = loadCalendar('CN');

/** Restaurant opening with a floor plan the applicant can be asked to redo. */
const WITH_PLAN: ServiceDefinition = {
  ...JOINT,
  materials: [...JOINT.materials, { id: 'floor-plan', kind: 'upload', name: { 'zh-CN': '平面图', en: 'Floor plan' }, key: false, mediaTypes: ['application/pdf'], maxBytes: 5_000_000 }],
};

/** Accepted 2026-03-02 (promised 2026-03-16, statutory 2026-03-30); FIRE vetoes, and on 2026-03-05 the lead sends it back. */
function sentBackForRevision(): CaseState {
  const review = givenCase(WITH_PLAN, [history.drafted(WITH_PLAN, ENTERPRISE), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR'), history.received('registration'), history.completed()]);
  let state = when(review, { type: 'StartJointReview', actor: AMR }).state;
  state = when(state, { type: 'GiveOpinion', actor: FIRE, opinion: 'deny', comment: 'exits too narrow' }).state;
  state = when(state, { type: 'GiveOpinion', actor: HEALTH, opinion: 'approve', comment: '' }).state;
  return when(state, { type: 'RequestRevision', actor: AMR, items: [{ materialId: 'floor-plan', note: 'widen the exits' }] }, '2026-03-05').state;
}

const deadlineTimers = (state: CaseState) =>
  desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && ['RaiseDeadlineWarning', 'MarkOverdue'].includes(j.payload.command)).map((j) => j.jobId).sort();

describe('a case sent back for revision after a veto keeps its decision clock running', () => {
  it('given a case awaiting revision, then its warning and overdue timers are derived for both limits, as in joint review (a resync of the jobs re-creates them)', () => {
    const sentBack = sentBackForRevision();
    expect(sentBack.status).to.equal('awaitingRevision');
    expect(deadlineTimers(sentBack)).to.deep.equal([
      't-case-1-overdue-promised-2026-03-16',
      't-case-1-overdue-statutory-2026-03-30',
      't-case-1-warn-promised-2026-03-16',
      't-case-1-warn-statutory-2026-03-30',
    ]);
  });

  it('given a case awaiting revision, when the promised limit runs out, then the overdue timer records the red card and arms no second one', () => {
    const overdue = when(sentBackForRevision(), { type: 'MarkOverdue', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-16' }, '2026-03-17');
    expect(types(overdue)).to.deep.equal(['DeadlineOverdue']);
    expect(deadlineTimers(overdue.state)).to.not.include('t-case-1-overdue-promised-2026-03-16');
  });

  it('given a case awaiting revision, when the clerk extends the limits, then timers are derived for the moved dates', () => {
    const extended = when(sentBackForRevision(), { type: 'ExtendDeadline', actor: AMR, days: 5, reason: 'site visit' }, '2026-03-06');
    expect(types(extended)).to.deep.equal(['DeadlineExtended']);
    // 5 working days after Mon 2026-03-16 and Mon 2026-03-30 (Qingming, 04-04 to 04-06, is off).
    expect(extended.state.context.due).to.deep.equal({ promised: '2026-03-23', statutory: '2026-04-07' });
    expect(deadlineTimers(extended.state)).to.deep.equal([
      't-case-1-overdue-promised-2026-03-23',
      't-case-1-overdue-statutory-2026-04-07',
      't-case-1-warn-promised-2026-03-23',
      't-case-1-warn-statutory-2026-04-07',
    ]);
  });

  it('given each status, then the timers count the clock as running exactly where the clerk\'s and the applicant\'s views count days left', () => {
    const due = { promised: '2026-03-16', statutory: '2026-03-30' };
    for (const status of CASE_STATUSES) {
      if (!CLOCK_RUNNING.has(status) && status !== 'suspended') continue;
      const running = CLOCK_RUNNING.has(status);
      const suspensions = status === 'suspended' ? [{ kind: 'hearing', reason: 'hearing', suspendedOn: '2026-03-05', resumedOn: null, dueAfter: null }] : [];
      const view = withDaysLeft({ status, due, suspensions, intakeDueOn: null, supplement: null, limits: null }, calendar, '2026-03-10');
      expect(view.daysLeft.clockStopped, `case view, ${status}`).to.equal(!running);
      const item = withItemDaysLeft({ status, dueOn: due.promised, dueKind: 'promised' }, calendar, 'working', '2026-03-10');
      expect(item.daysLeft === null, `work queue, ${status}`).to.equal(!running);
    }
    expect([...CLOCK_RUNNING].sort()).to.deep.equal(['awaitingRevision', 'gatheringEvidence', 'jointReview', 'review']);
  });
});
