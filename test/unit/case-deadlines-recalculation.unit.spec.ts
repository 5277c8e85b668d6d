import { expect } from 'chai';
import { loadCalendarYears, loadDataCatalogue } from '../../adapters/files/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { createCalendar, type Calendar, type CalendarYear } from '../../domain/calendar/index.ts';
import { decide, desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, givenCase, history, noonOn, type CommandInput } from '../support/case-fixtures.ts';

const published = loadCalendarYears();
const provisional = createCalendar('CN', published, { version: 'CN:2026@before' });
/** A 2027 arrangement as the State Council might publish it: New Year's Day with the Monday after it off too. */
const cn2027: CalendarYear = {
  region: 'CN',
  year: 2027,
  source: 'test arrangement',
  holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to: '2027-01-04', makeUpWorkingDays: [] }],
};
const withFile = createCalendar('CN', [...published, cn2027], { version: 'CN:2026,2027@after' });
const dataCatalogue = loadDataCatalogue();
const run = (calendar: Calendar, state: CaseState, command: CommandInput, on: string) =>
  decide({ commandId: `c-${Math.random()}`, caseId: 'case-1', ...command } as CaseCommand, state, createEnvironmentFactory({ calendar: () => calendar, dataCatalogue, timeZone: 'Asia/Shanghai' })(state.definition, noonOn(on)));
const recalculate = (calendar: Calendar, state: CaseState, on = '2026-12-28') => run(calendar, state, { type: 'RecalculateDeadlines', actor: SYSTEM, calendarVersion: calendar.version }, on);

/** Accepted on Dec 21 2026 with due dates from the calendar without a 2027 file, as the deciders computed them. */
function acceptedInDecember(): CaseState {
  const due = { statutory: provisional.addDays('2026-12-21', 20, 'working'), promised: provisional.addDays('2026-12-21', 10, 'working') };
  const accepted = history.accepted(due);
  return givenCase(SINGLE, [history.drafted(SINGLE), history.submitted(), { ...accepted, data: { ...accepted.data, acceptedOn: '2026-12-21' }, on: '2026-12-21' } as never]);
}

describe('case lifecycle: due dates recomputed when a holiday arrangement is published', () => {
  it('given due dates set before the 2027 file existed, when recalculated with it, then both move and the event names old, new and the calendar', () => {
    const state = acceptedInDecember();
    // Dec 22-31 are 8 working days; Jan 1 is off either way; the file also takes Jan 4.
    expect(state.context.due).to.deep.equal({ statutory: '2027-01-19', promised: '2027-01-05' });
    const decision = recalculate(withFile, state);
    expect(decision.events).to.deep.equal([
      {
        type: 'DeadlinesRecalculated',
        data: { calendarVersion: 'CN:2026,2027@after', recalculatedOn: '2026-12-28', previous: { statutory: '2027-01-19', promised: '2027-01-05' }, due: { statutory: '2027-01-20', promised: '2027-01-06' } },
      },
    ]);
    expect(decision.state.context.due).to.deep.equal({ statutory: '2027-01-20', promised: '2027-01-06' });
  });

  it('given a recalculated case, when its timers are derived, then they are for the new dates only', () => {
    const { state } = recalculate(withFile, acceptedInDecember());
    const ids = desiredJobs(state, withFile, 'Asia/Shanghai').map((j) => j.jobId);
    expect(ids).to.include('t-case-1-overdue-promised-2027-01-06').and.not.include('t-case-1-overdue-promised-2027-01-05');
  });

  it('given the same calendar the dates were set with, when recalculated, then nothing is recorded', () => {
    expect(recalculate(provisional, acceptedInDecember()).events).to.deep.equal([]);
    const once = recalculate(withFile, acceptedInDecember()).state;
    expect(recalculate(withFile, once).events).to.deep.equal([]);
  });

  it('given an extension and an ended suspension decided with one calendar, when recalculated with it, then the dates are reproduced exactly', () => {
    const PSB = clerk('PSB');
    let state = acceptedInDecember();
    state = run(provisional, state, { type: 'ExtendDeadline', actor: PSB, days: 3, reason: 'site visit' }, '2026-12-22').state;
    state = run(provisional, state, { type: 'SuspendCase', actor: PSB, kind: 'expert_review', reason: 'survey' }, '2026-12-23').state;
    state = run(provisional, state, { type: 'ResumeCase', actor: PSB }, '2027-01-08').state;
    expect(recalculate(provisional, state, '2027-01-08').events).to.deep.equal([]);
    // With the file, the suspension's counted days shrink by Jan 4 and the dates from acceptance by Jan 4 too.
    const moved = recalculate(withFile, state, '2027-01-08');
    expect(moved.events.map((e) => e.type)).to.deep.equal(['DeadlinesRecalculated']);
  });

  it('given a case not yet accepted or already closed, when recalculated, then nothing is recorded and nothing is refused', () => {
    const submitted = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);
    expect(recalculate(withFile, submitted).events).to.deep.equal([]);
    const withdrawn = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted(), { type: 'CaseWithdrawn', data: { reason: 'moved', withdrawnOn: '2026-03-03' } }]);
    expect(recalculate(withFile, withdrawn).events).to.deep.equal([]);
  });
});

describe('case lifecycle: every other time limit recomputed from its start when a holiday arrangement is published', () => {
  const PSB = clerk('PSB');
  // Every limit below starts on Mon Dec 28 2026 and runs 5 working days: Dec 29-31 and, without the 2027 file, Jan 4
  // and 5 (Jan 1 off by the regulation); the file takes Jan 4 off too, so each ends on Jan 6.
  const drafted = () => givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo')]);
  const submittedDec28 = (state = drafted()) => run(provisional, state, { type: 'SubmitApplication', actor: citizen() }, '2026-12-28').state;
  const timerIds = (state: CaseState) => desiredJobs(state, withFile, 'Asia/Shanghai').map((j) => j.jobId);
  const deniedAndRatedLow = () => {
    let state = givenCase(SINGLE, [
      history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(),
      history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed(),
    ]);
    state = run(provisional, state, { type: 'DenyCase', actor: PSB, reasons: ['not resident'] }, '2026-12-28').state;
    return run(provisional, state, { type: 'RateCase', actor: citizen(), score: 1 }, '2026-12-28').state;
  };

  it('given an application submitted before the 2027 file existed, when recalculated with it, then the intake limit moves, its timer is re-armed for the new date, and the old date no longer deems it accepted', () => {
    const state = submittedDec28();
    expect(state.context.intakeDueOn).to.equal('2027-01-05');
    const decision = recalculate(withFile, state);
    expect(decision.events).to.deep.equal([
      {
        type: 'TimeLimitsRecalculated',
        data: { calendarVersion: 'CN:2026,2027@after', recalculatedOn: '2026-12-28', limits: [{ limit: 'intake', from: '2026-12-28', previous: '2027-01-05', dueOn: '2027-01-06' }] },
      },
    ]);
    const intake = desiredJobs(decision.state, withFile, 'Asia/Shanghai').flatMap((j) => (j.kind === 'timer' && j.jobId.includes('-intake-') ? [j] : []));
    expect(intake.map((j) => [j.jobId, j.runAt.toISOString()])).to.deep.equal([['t-case-1-intake-2027-01-06', '2027-01-06T16:00:00.000Z']]);
    // The timer armed for the old date still fires on Jan 6: the intake limit has not run out then.
    expect(run(withFile, decision.state, { type: 'DeemAccepted', actor: SYSTEM }, '2027-01-06').events).to.deep.equal([]);
    expect(run(withFile, decision.state, { type: 'DeemAccepted', actor: SYSTEM }, '2027-01-07').events.map((e) => e.type)).to.include('CaseAccepted');
  });

  it('given a supplement asked for before the 2027 file existed, when recalculated with it, then the supplement period moves and the applicant may still supplement on its new last day', () => {
    const noPhoto = givenCase(SINGLE, [history.drafted(SINGLE)]);
    let state = submittedDec28(noPhoto);
    state = run(provisional, state, { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'photo', note: 'a recent photo' }] }, '2026-12-28').state;
    expect(state.context.supplement.dueOn).to.equal('2027-01-05');
    const decision = recalculate(withFile, state);
    expect(decision.events.map((e) => e.data)).to.deep.equal([
      { calendarVersion: 'CN:2026,2027@after', recalculatedOn: '2026-12-28', limits: [{ limit: 'supplement', from: '2026-12-28', previous: '2027-01-05', dueOn: '2027-01-06' }] },
    ]);
    expect(timerIds(decision.state)).to.include('t-case-1-supplement-2027-01-06').and.not.include('t-case-1-supplement-2027-01-05');
    expect(run(withFile, decision.state, { type: 'ExpireSupplement', actor: SYSTEM }, '2027-01-06').events).to.deep.equal([]);
    state = run(withFile, decision.state, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) }, '2027-01-06').state;
    expect(run(withFile, state, { type: 'ProvideSupplement', actor: citizen() }, '2027-01-06').events.map((e) => e.type)).to.deep.equal(['SupplementProvided']);
  });

  it('given a case accepted with the lease owed (容缺) before the 2027 file existed, when recalculated with it, then the decision limits and the follow-up both move, and the reminders follow the new date', () => {
    const state = run(provisional, submittedDec28(), { type: 'AcceptCase', actor: PSB }, '2026-12-28').state;
    expect(state.context.followUps.lease).to.include({ since: '2026-12-28', dueOn: '2027-01-05' });
    const decision = recalculate(withFile, state);
    expect(decision.events.map((e) => e.type)).to.deep.equal(['DeadlinesRecalculated', 'TimeLimitsRecalculated']);
    expect(decision.events[1]!.data).to.deep.include({ limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-12-28', previous: '2027-01-05', dueOn: '2027-01-06' }] });
    expect(decision.state.context.followUps.lease).to.deep.equal({ since: '2026-12-28', dueOn: '2027-01-06', providedOn: null, reminders: [] });
    expect(timerIds(decision.state)).to.include('t-case-1-followup-lease-2027-01-06-red').and.not.include('t-case-1-followup-lease-2027-01-05-red');
    expect(run(withFile, decision.state, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn: '2027-01-05', level: 'red' }, '2027-01-06').events).to.deep.equal([]);
  });

  it('given a low rating on a denied and closed case before the 2027 file existed, when recalculated with it, then the answer\'s due date moves and its overdue timer with it', () => {
    const state = deniedAndRatedLow();
    expect(state.status).to.equal('closed');
    expect(state.context.complaint).to.include({ openedOn: '2026-12-28', dueOn: '2027-01-05' });
    const decision = recalculate(withFile, state);
    expect(decision.events.map((e) => e.data)).to.deep.equal([
      { calendarVersion: 'CN:2026,2027@after', recalculatedOn: '2026-12-28', limits: [{ limit: 'complaint', from: '2026-12-28', previous: '2027-01-05', dueOn: '2027-01-06' }] },
    ]);
    expect(timerIds(decision.state)).to.include('t-case-1-complaint-2027-01-06').and.not.include('t-case-1-complaint-2027-01-05');
    expect(run(withFile, decision.state, { type: 'MarkComplaintOverdue', actor: SYSTEM, dueOn: '2027-01-05' }, '2027-01-06').events).to.deep.equal([]);
  });

  it('given limits recomputed once, or set with the calendar in use, when recalculated again, then nothing is recorded', () => {
    const accepted = run(provisional, submittedDec28(), { type: 'AcceptCase', actor: PSB }, '2026-12-28').state;
    for (const state of [submittedDec28(), accepted]) {
      expect(recalculate(provisional, state).events).to.deep.equal([]);
      expect(recalculate(withFile, recalculate(withFile, state).state).events).to.deep.equal([]);
    }
  });

  it('given the owed lease provided and the rating answered, when recalculated, then neither limit is touched', () => {
    let state = run(provisional, submittedDec28(), { type: 'AcceptCase', actor: PSB }, '2026-12-28').state;
    state = run(provisional, state, { type: 'UploadMaterial', actor: citizen(), materialId: 'lease', fileName: 'l.pdf', mediaType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) }, '2026-12-29').state;
    expect(recalculate(withFile, state).events.map((e) => e.type)).to.deep.equal(['DeadlinesRecalculated']);
    const answered = run(provisional, deniedAndRatedLow(), { type: 'AnswerComplaint', actor: PSB, response: 'We have reviewed the decision.' }, '2026-12-29').state;
    expect(recalculate(withFile, answered).events).to.deep.equal([]);
  });
});
