import { expect } from 'chai';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import { loadCalendar } from '../../adapters/files/index.ts';
import { desiredJobs } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, clerk, givenCase, history, singleCaseInReview, types, when } from '../support/case-fixtures.ts';

const PSB = clerk('PSB');
const calendar = loadCalendar('CN');

describe('case lifecycle: deadlines', () => {
  it('given a running case, when extended by 10 days with a reason, then both due dates move by 10 working days', () => {
    const decision = when(singleCaseInReview(), { type: 'ExtendDeadline', actor: PSB, days: 10, reason: 'site inspection needed' });
    expect(types(decision)).to.deep.equal(['DeadlineExtended']);
    // 2026-03-30 + 10 working days = 2026-04-14 (Apr 4-6 Qingming off); 2026-03-16 + 10 = 2026-03-30.
    expect(decision.state.context.due).to.deep.equal({ statutory: '2026-04-14', promised: '2026-03-30' });
  });

  it('given the statutory limit already ran out (due 2026-03-30), when extended on 2026-03-31, then it is refused naming the day it ended (art. 42: decided within the period); on the last day it is granted', () => {
    expect(() => when(singleCaseInReview(), { type: 'ExtendDeadline', actor: PSB, days: 10, reason: 'site inspection needed' }, '2026-03-31')).to.throw(InvalidCommandError, /ended on 2026-03-30/);
    expect(types(when(singleCaseInReview(), { type: 'ExtendDeadline', actor: PSB, days: 10, reason: 'site inspection needed' }, '2026-03-30'))).to.deep.equal(['DeadlineExtended']);
  });

  it('given the extension budget is spent, when extended again, then the remaining budget is named', () => {
    const once = when(singleCaseInReview(), { type: 'ExtendDeadline', actor: PSB, days: 8, reason: 'a' }).state;
    expect(() => when(once, { type: 'ExtendDeadline', actor: PSB, days: 3, reason: 'b' })).to.throw(InvalidCommandError, /from 1 to 2/);
    expect(() => when(once, { type: 'ExtendDeadline', actor: PSB, days: 2, reason: ' ' })).to.throw(InvalidCommandError, /reason/);
  });

  it('given a case suspended for expert review on Friday, when resumed the next Wednesday, then due dates shift by the 3 working days spent', () => {
    const suspended = when(singleCaseInReview(), { type: 'SuspendCase', actor: PSB, kind: 'expert_review', reason: 'structural survey' }, '2026-03-06').state;
    expect(suspended.status).to.equal('suspended');
    const resumed = when(suspended, { type: 'ResumeCase', actor: PSB }, '2026-03-11');
    expect(types(resumed)).to.deep.equal(['CaseResumed']);
    expect(resumed.state.status).to.equal('review');
    expect(resumed.state.context.due).to.deep.equal({ statutory: '2026-04-02', promised: '2026-03-19' });
  });

  it('given the promised due date, when the warning timer fires, then a yellow card is recorded once and a stale timer records nothing', () => {
    const state = singleCaseInReview();
    const fired = when(state, { type: 'RaiseDeadlineWarning', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-16' }, '2026-03-12');
    expect(types(fired)).to.deep.equal(['DeadlineWarningRaised']);
    expect(types(when(fired.state, { type: 'RaiseDeadlineWarning', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-16' }))).to.deep.equal([]);
    expect(types(when(state, { type: 'RaiseDeadlineWarning', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-13' }))).to.deep.equal([]);
  });

  it('given the statutory due date, when the overdue timer fires on the due date itself, nothing; the day after, a red card', () => {
    const state = singleCaseInReview();
    expect(types(when(state, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-03-30' }, '2026-03-30'))).to.deep.equal([]);
    expect(types(when(state, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-03-30' }, '2026-03-31'))).to.deep.equal(['DeadlineOverdue']);
  });

  it('given a suspended case, when a deadline timer fires, then nothing is recorded', () => {
    const suspended = when(singleCaseInReview(), { type: 'SuspendCase', actor: PSB, kind: 'hearing', reason: 'hearing requested' }).state;
    expect(types(when(suspended, { type: 'MarkOverdue', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-16' }, '2026-03-20'))).to.deep.equal([]);
  });

  describe('durable jobs derived from state', () => {
    it('given a case in review, then warning and overdue timers exist for both limits, at the start of the local day in Shanghai', () => {
      const jobs = desiredJobs(singleCaseInReview(), calendar, 'Asia/Shanghai');
      const byId = Object.fromEntries(jobs.map((j) => [j.jobId, j]));
      expect(Object.keys(byId).sort()).to.deep.equal([
        't-case-1-overdue-promised-2026-03-16',
        't-case-1-overdue-statutory-2026-03-30',
        't-case-1-warn-promised-2026-03-16',
        't-case-1-warn-statutory-2026-03-30',
      ]);
      const warn = byId['t-case-1-warn-promised-2026-03-16']!;
      // 2 working days before Mon 2026-03-16 is Thu 2026-03-12; 00:00 in Shanghai is 16:00 UTC the day before.
      expect(warn.kind === 'timer' && warn.runAt.toISOString()).to.equal('2026-03-11T16:00:00.000Z');
      expect(jobs.every((j) => !j.jobId.includes(':'))).to.equal(true);
    });

    it('given evidence being fetched, then one evidence job per item names subject, purpose and provider', () => {
      const state = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB')]);
      const evidence = desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'evidence');
      expect(evidence).to.have.length(1);
      expect(evidence[0]!.jobId).to.equal('ev-case-1-household');
      expect(evidence[0]!.payload).to.deep.include({ provider: 'PSB', dataItem: 'household-registration', requester: 'PSB' });
    });

    it('given a closed case, then no jobs remain', () => {
      const closed = when(singleCaseInReview(), { type: 'DenyCase', actor: PSB, reasons: ['x'] }).state;
      expect(desiredJobs(closed, calendar, 'Asia/Shanghai')).to.deep.equal([]);
    });

    it('given a submitted case, then the deemed-acceptance timer fires the day after the intake due date', () => {
      const jobs = desiredJobs(givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]), calendar, 'Asia/Shanghai');
      expect(jobs.map((j) => j.jobId)).to.deep.equal(['t-case-1-intake-2026-03-09']);
    });
  });
});
