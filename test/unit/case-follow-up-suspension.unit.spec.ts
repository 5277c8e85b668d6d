import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import { WrongStateError } from '../../domain/case/errors.ts';
import { CASE_VIEW, WORK_QUEUE, createCaseViewProjector, createWorkQueueProjector, withTimelineSummaries, type CaseView, type WorkItem } from '../../projections/views/index.ts';
import { desiredJobs, emptyCase, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, noonOn, types, when, type CommandInput } from '../support/case-fixtures.ts';
import { services, type Append } from './projection-views-scenarios.ts';
import { project, toLog } from './projection-views-support.ts';

const PSB = clerk('PSB');
const calendar = loadCalendar('CN');

/** A case played command by command, with what each appended, so the views can be built from the same events. */
interface Played {
  state: CaseState;
  appends: Append[];
}

function play(played: Played, command: CommandInput, on: string): Played {
  const decision = when(played.state, command, on);
  if (decision.events.length === 0) return { ...played, state: decision.state };
  const append: Append = {
    streamId: caseStream('case-1'),
    events: decision.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })),
    actor: command.actor,
    at: noonOn(on).toISOString(),
    commandId: `case-1-c${played.appends.length}`,
  };
  return { state: decision.state, appends: [...played.appends, append] };
}

/**
 * Accepted Monday 2026-03-02 without the lease, which is owed by Monday 2026-03-09 (5 working days); the household
 * record comes in the same day, so the case is in review.
 */
function inReviewOwingTheLease(): Played {
  let played: Played = { state: emptyCase(SINGLE), appends: [] };
  played = play(played, { type: 'DraftApplication', actor: citizen(), serviceId: SINGLE.id, form: { address: '深圳市南山区科技园' } }, '2026-03-02');
  played = play(played, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) }, '2026-03-02');
  played = play(played, { type: 'SubmitApplication', actor: citizen() }, '2026-03-02');
  played = play(played, { type: 'AcceptCase', actor: PSB }, '2026-03-02');
  played = play(played, { type: 'RecordEvidence', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: { citizenId: 'x', name: 'n', address: 'a' }, contentHash: 'h', retrievedAt: '2026-03-02T04:00:00Z', trustLevel: 'A' }, '2026-03-02');
  expect(played.state.status).to.equal('review');
  expect(played.state.context.followUps.lease).to.deep.equal({ since: '2026-03-02', dueOn: '2026-03-09', providedOn: null, reminders: [] });
  return played;
}

const suspend = (played: Played, on: string) => play(played, { type: 'SuspendCase', actor: PSB, kind: 'hearing', reason: 'neighbour objection' }, on);
const remind = (state: CaseState, dueOn: string, level: 'yellow' | 'red', on: string) => when(state, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn, level }, on);
const followUpTimers = (state: CaseState) =>
  desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && j.payload.command === 'RemindFollowUp').map((j) => j.jobId).sort();

/** The lease's yellow reminder raised on Thursday 2026-03-05 (2 working days ahead), then the case suspended that day. */
function suspendedAfterTheYellowReminder(): Played {
  let played = inReviewOwingTheLease();
  played = play(played, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn: '2026-03-09', level: 'yellow' }, '2026-03-05');
  expect(played.state.context.followUps.lease!.reminders).to.deep.equal(['yellow']);
  return suspend(played, '2026-03-05');
}

describe('a 容缺 follow-up owed while the case is suspended (the applicant may not upload then)', () => {
  it('given the lease owed when the case is suspended, then no reminder timer is armed while suspended, one that fires records nothing, and the upload is refused', () => {
    const owing = inReviewOwingTheLease();
    expect(followUpTimers(owing.state)).to.deep.equal(['t-case-1-followup-lease-2026-03-09-red', 't-case-1-followup-lease-2026-03-09-yellow']);
    const { state } = suspend(owing, '2026-03-03');
    expect(state.status).to.equal('suspended');
    expect(followUpTimers(state)).to.deep.equal([]);
    expect(types(remind(state, '2026-03-09', 'yellow', '2026-03-05'))).to.deep.equal([]);
    expect(types(remind(state, '2026-03-09', 'red', '2026-03-10'))).to.deep.equal([]);
    expect(() => when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'lease', fileName: 'l.pdf', mediaType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) }, '2026-03-05')).to.throw(WrongStateError);
  });

  it('given the lease owed through a suspension, when the case resumes, then its due date moves by the working days suspended, its reminders start again for the new date, and a timer for the old date records nothing', () => {
    const { state } = suspendedAfterTheYellowReminder();
    const resumed = when(state, { type: 'ResumeCase', actor: PSB }, '2026-03-20');
    expect(types(resumed)).to.deep.equal(['CaseResumed', 'TimeLimitsRecalculated']);
    // Two working days were left when the suspension began (Fri 03-06, Mon 03-09); they run from the resumption on
    // Fri 03-20: Mon 03-23 and Tue 03-24. The decision's limits move by the same 11 working days.
    expect(resumed.events[1]!.data).to.deep.equal({
      calendarVersion: calendar.version, recalculatedOn: '2026-03-20', suspendedOn: '2026-03-05',
      limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-03-02', previous: '2026-03-09', dueOn: '2026-03-24' }],
    });
    expect(resumed.state.context.due!.promised).to.equal(calendar.shiftedDueDate('2026-03-16', '2026-03-05', '2026-03-20', 'working'));
    expect(resumed.state.context.followUps.lease).to.deep.equal({ since: '2026-03-02', dueOn: '2026-03-24', providedOn: null, reminders: [] });
    expect(followUpTimers(resumed.state)).to.deep.equal(['t-case-1-followup-lease-2026-03-24-red', 't-case-1-followup-lease-2026-03-24-yellow']);
    expect(types(remind(resumed.state, '2026-03-09', 'red', '2026-03-21'))).to.deep.equal([]);
    expect(types(remind(resumed.state, '2026-03-24', 'red', '2026-03-24'))).to.deep.equal([]);
    expect(types(remind(resumed.state, '2026-03-24', 'red', '2026-03-25'))).to.deep.equal(['FollowUpReminderRaised']);
  });

  it('given a follow-up already past its due date when the suspension began, when the case resumes, then it is not moved and its red reminder stands', () => {
    let played = inReviewOwingTheLease();
    played = play(played, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn: '2026-03-09', level: 'red' }, '2026-03-10');
    played = suspend(played, '2026-03-11');
    const resumed = when(played.state, { type: 'ResumeCase', actor: PSB }, '2026-03-20');
    expect(types(resumed)).to.deep.equal(['CaseResumed']);
    expect(resumed.state.context.followUps.lease).to.deep.equal({ since: '2026-03-02', dueOn: '2026-03-09', providedOn: null, reminders: ['red'] });
  });

  it('given the follow-up moved on resumption, when the time limits are recomputed with the calendar they were set with, then nothing is recorded (the suspended days stay added)', () => {
    const resumed = play(suspendedAfterTheYellowReminder(), { type: 'ResumeCase', actor: PSB }, '2026-03-20').state;
    expect(resumed.context.followUps.lease!.dueOn).to.equal('2026-03-24');
    expect(types(when(resumed, { type: 'RecalculateDeadlines', actor: SYSTEM, calendarVersion: calendar.version }, '2026-03-23'))).to.deep.equal([]);
  });

  it('given the follow-up moved on resumption, then the applicant\'s follow-up card and the clerk\'s case view and work queue show the new date, without the reminder raised for the old one', () => {
    const { appends } = play(suspendedAfterTheYellowReminder(), { type: 'ResumeCase', actor: PSB }, '2026-03-20');
    const log = toLog(appends);
    const view = project(createCaseViewProjector({ services }), log).read(CASE_VIEW, 'case-1') as unknown as CaseView;
    expect(view.obligations).to.deep.equal([{ materialId: 'lease', dueOn: '2026-03-24', recordedOn: '2026-03-02', providedOn: null, reminders: [] }]);
    expect(view.outstanding).to.deep.include({ materialId: 'lease', reason: 'followUp', key: false, note: 'due 2026-03-24' });
    expect(withTimelineSummaries(view).timeline.at(-1)).to.deep.include({
      type: 'TimeLimitsRecalculated', summary: 'Time limits moved by the days suspended from 2026-03-05: followUp by 2026-03-24 (owed: lease)',
    });
    const queue = project(createWorkQueueProjector({ services, calendars: () => calendar }), log).all(WORK_QUEUE) as unknown as Record<string, WorkItem>;
    expect(queue['PSB-case-1']).to.include({ status: 'review', followUpsOwed: 1, followUpDueOn: '2026-03-24', followUpOverdue: false });
  });
});
