import { expect } from 'chai';
import { loadCalendarYears, loadDataCatalogue } from '../../adapters/files/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { createCalendar, type Calendar, type CalendarYear } from '../../domain/calendar/index.ts';
import { decide, desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, clerk, givenCase, history, noonOn, type CommandInput } from '../support/case-fixtures.ts';

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
