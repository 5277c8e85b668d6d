import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, clerk, givenCase, history, types, when } from '../support/case-fixtures.ts';

const PSB = clerk('PSB');
const calendar = loadCalendar('CN');

/** SINGLE plus a non-key marriage record the platform fetches (容缺 if its department cannot supply it). */
const WITH_MARRIAGE: ServiceDefinition = {
  ...SINGLE,
  materials: [
    ...SINGLE.materials,
    { id: 'marriage', kind: 'evidence', name: { 'zh-CN': 'Marriage record', en: 'Marriage record' }, key: false, dataItem: 'marriage-record', fields: ['citizenId'] },
  ],
};

const household = {
  type: 'RecordEvidence' as const, actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB',
  fields: { citizenId: 'x', name: '张三', address: '深圳市南山区' }, contentHash: 'h', retrievedAt: '2026-03-04T04:00:00Z', trustLevel: 'A' as const,
};

const evidenceJobs = (state: CaseState) => desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'evidence').map((j) => j.jobId);

/** Accepted Monday 2026-03-02 (evidence requested), suspended for testing on Tuesday 2026-03-03 with the fetch in flight. */
function suspendedWhileFetching(definition: ServiceDefinition): CaseState {
  const submitted = givenCase(definition, [history.drafted(definition), history.uploaded('photo'), history.submitted()]);
  const accepted = when(submitted, { type: 'AcceptCase', actor: PSB }, '2026-03-02').state;
  expect(accepted.context.materials.household!.status).to.equal('fetching');
  return when(accepted, { type: 'SuspendCase', actor: PSB, kind: 'testing', reason: 'sample sent to the laboratory' }, '2026-03-03').state;
}

describe('evidence a department sends while the case is suspended (hearing, testing, inspection, expert review)', () => {
  it('given a case suspended with its household record being fetched, when the department answers, then the evidence is recorded, the case stays suspended and the department is not asked again', () => {
    const suspended = suspendedWhileFetching(SINGLE);
    expect(evidenceJobs(suspended), 'the request still in flight').to.deep.equal(['ev-case-1-household']);
    const answered = when(suspended, household, '2026-03-04');
    // Recorded, not decided on: gathering does not complete while the statutory clock is stopped.
    expect(types(answered)).to.deep.equal(['EvidenceReceived']);
    expect(answered.state.status).to.equal('suspended');
    expect(answered.state.context.materials.household!.status).to.equal('received');
    expect(answered.state.context.evidence.household).to.deep.equal(household.fields);
    // The reconciler derives the jobs from this state at every pass: nothing left to ask the department for.
    expect(evidenceJobs(answered.state)).to.deep.equal([]);
    // A redelivered answer records nothing.
    expect(types(when(answered.state, household, '2026-03-04'))).to.deep.equal([]);
  });

  it('given the household record received while suspended, when the case resumes, then gathering completes in the same decision and the case is in review with its due dates shifted', () => {
    const answered = when(suspendedWhileFetching(SINGLE), household, '2026-03-04').state;
    const resumed = when(answered, { type: 'ResumeCase', actor: PSB }, '2026-03-06');
    // The lease, owed since acceptance, moves past the suspension with the decision's limits (TimeLimitsRecalculated).
    expect(types(resumed)).to.deep.equal(['CaseResumed', 'TimeLimitsRecalculated', 'EvidenceGatheringCompleted']);
    expect(resumed.state.status).to.equal('review');
    // Tuesday to Friday: 3 working days did not count.
    const limits = SINGLE.limits;
    const due = { statutory: calendar.addDays('2026-03-02', limits.statutoryDays, limits.dayKind), promised: calendar.addDays('2026-03-02', limits.promisedDays, limits.dayKind) };
    expect(resumed.state.context.due).to.deep.equal({
      statutory: calendar.shiftedDueDate(due.statutory, '2026-03-03', '2026-03-06', limits.dayKind),
      promised: calendar.shiftedDueDate(due.promised, '2026-03-03', '2026-03-06', limits.dayKind),
    });
  });

  it('given a non-key record its department cannot supply while the case is suspended, when recorded, then nothing is owed yet; when the case resumes, then it is owed from the resumption', () => {
    let state = suspendedWhileFetching(WITH_MARRIAGE);
    expect(evidenceJobs(state)).to.have.members(['ev-case-1-household', 'ev-case-1-marriage']);
    state = when(state, household, '2026-03-04').state;
    const unavailable = when(state, { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'marriage', dataItem: 'marriage-record', provider: 'CAB', reason: 'no_match', detail: 'no record' }, '2026-03-04');
    // The applicant cannot upload while suspended: a due date running from now could run out before they may act.
    expect(types(unavailable)).to.deep.equal(['EvidenceUnavailable']);
    expect(unavailable.state.context.materials.marriage!.status).to.equal('upload_required');
    expect(unavailable.state.context.followUps.marriage).to.equal(undefined);
    expect(evidenceJobs(unavailable.state)).to.deep.equal([]);
    const resumed = when(unavailable.state, { type: 'ResumeCase', actor: PSB }, '2026-03-09');
    expect(types(resumed)).to.deep.equal(['CaseResumed', 'TimeLimitsRecalculated', 'FollowUpRequired', 'EvidenceGatheringCompleted']);
    expect(resumed.events[2]!.data).to.deep.equal({ items: [{ materialId: 'marriage', dueOn: calendar.addDays('2026-03-09', SINGLE.limits.supplementDays, 'working') }], recordedOn: '2026-03-09' });
    expect(resumed.state.status).to.equal('review');
  });

  it('given a case not suspended, when its department cannot supply a non-key record, then it is owed at once, as before', () => {
    const submitted = givenCase(WITH_MARRIAGE, [history.drafted(WITH_MARRIAGE), history.uploaded('photo'), history.submitted()]);
    const accepted = when(submitted, { type: 'AcceptCase', actor: PSB }, '2026-03-02').state;
    const unavailable = when(accepted, { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'marriage', dataItem: 'marriage-record', provider: 'CAB', reason: 'no_match', detail: 'no record' }, '2026-03-04');
    expect(types(unavailable)).to.deep.equal(['EvidenceUnavailable', 'FollowUpRequired']);
  });
});
