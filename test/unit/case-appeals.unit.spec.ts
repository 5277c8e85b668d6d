import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import { reconsiderationDeadline } from '../../domain/appeals/reconsideration.ts';
import { allowedCommands, appealJobs, desiredJobs } from '../../workflows/index.ts';
import { statusAfter } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, givenCase, history, singleCaseInReview, types, when } from '../support/case-fixtures.ts';

const calendar = loadCalendar('CN');
const APPEAL = '0b8a6f5e-6c1d-4f3e-9a2b-1c2d3e4f5a6b';
const deniedOn = (on: string) => when(singleCaseInReview(), { type: 'DenyCase', actor: clerk('PSB'), reasons: ['no'] }, on).state;
const ask = (on: string, state = deniedOn('2026-03-02')) => when(state, { type: 'RequestReconsideration', actor: citizen(), appealCaseId: APPEAL, grounds: 'wrong facts' }, on);

describe('appeals and complaints (pure): reconsideration within 60 days with a legal hold; a low rating answered by a deadline', () => {
  it('the 60 days are calendar days from the decision, across months and holidays', () => {
    expect(reconsiderationDeadline('2026-03-02')).to.equal('2026-05-01');
    expect(reconsiderationDeadline('2026-12-15')).to.equal('2027-02-13');
  });

  it('given the 60th day is a day off, then the period ends on the first working day after it (art. 88, Civil Procedure Law art. 85)', () => {
    // 2026-05-01 opens the Labour Day days off (to 05-05); 2026-10-02 falls in National Day's (to 10-07).
    expect(['2026-05-01', '2026-05-05', '2026-05-06'].map((day) => calendar.isWorkingDay(day))).to.deep.equal([false, false, true]);
    expect(reconsiderationDeadline('2026-03-02', calendar)).to.equal('2026-05-06');
    expect(reconsiderationDeadline('2026-08-03', calendar)).to.equal('2026-10-08');
    expect(reconsiderationDeadline('2026-03-10', calendar), 'a working 60th day stays').to.equal(reconsiderationDeadline('2026-03-10'));
  });

  it('given a denial, when the applicant asks on day 60 or, that day being off, on the first working day after it, then the request and a legal hold are recorded; the day after that it is refused', () => {
    expect(types(ask('2026-05-06'))).to.deep.equal(['ReconsiderationRequested', 'LegalHoldPlaced']);
    const asked = ask('2026-05-01');
    expect(types(asked)).to.deep.equal(['ReconsiderationRequested', 'LegalHoldPlaced']);
    expect(asked.events[1]!.data).to.deep.equal({ holdId: `reconsideration-${APPEAL}`, reason: `administrative reconsideration ${APPEAL}`, basis: '《中华人民共和国行政复议法》第二十条', placedBy: citizen().id });
    expect(asked.state.status).to.equal('closed');
    expect(() => ask('2026-05-07')).to.throw(/ended on 2026-05-06/);
  });

  it('given an approved and certified case, then there is nothing to reconsider and it is never offered; a denied case is offered it', () => {
    const submitted = when(when(when(singleCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state, { type: 'IssueCertificate', actor: clerk('PSB') }).state, { type: 'RateCase', actor: citizen(), score: 4 });
    expect(allowedCommands(submitted.state, citizen())).to.not.include('RequestReconsideration');
    expect(() => ask('2026-03-03', submitted.state)).to.throw(/not allowed/);
    expect(allowedCommands(deniedOn('2026-03-02'), citizen())).to.include('RequestReconsideration');
  });

  it('given a pending reconsideration, when its linked case is decided, then the outcome is recorded and the hold lifted, once; a second request is refused', () => {
    const asked = ask('2026-03-10').state;
    expect(() => ask('2026-03-11', asked)).to.throw(/not allowed/);
    const decided = when(asked, { type: 'RecordReconsiderationOutcome', actor: SYSTEM, appealCaseId: APPEAL, outcome: 'denied', decidedOn: '2026-04-01' });
    expect(types(decided)).to.deep.equal(['ReconsiderationDecided', 'LegalHoldLifted']);
    expect(decided.events[0]!.data).to.include({ outcome: 'upheld' });
    expect(decided.state.context.holds).to.deep.equal({});
    expect(types(when(decided.state, { type: 'RecordReconsiderationOutcome', actor: SYSTEM, appealCaseId: APPEAL, outcome: 'approved', decidedOn: '2026-04-02' }))).to.deep.equal([]);
    expect(types(when(asked, { type: 'RecordReconsiderationOutcome', actor: SYSTEM, appealCaseId: 'another', outcome: 'approved', decidedOn: '2026-04-02' }))).to.deep.equal([]);
  });

  it('given the reconsideration case itself denied by the reviewing body, then it cannot be reconsidered again (its decision is final for reconsideration; the remedy is a lawsuit): not offered, and refused', () => {
    const service = { ...SINGLE, id: 'administrative-reconsideration', department: 'JUS', materials: [] };
    const drafted = { type: 'ApplicationDrafted' as const, data: { caseId: APPEAL, serviceId: service.id, serviceVersion: 1, applicant: { type: 'person' as const, id: citizen().id }, form: { originalCaseId: 'case-1', grounds: 'x' }, bundleId: null } };
    const inReview = givenCase(service, [drafted, history.submitted(), history.accepted(), history.completed()]);
    const denied = when(inReview, { type: 'DenyCase', actor: clerk('JUS'), reasons: ['原决定正确'] }, '2026-04-01').state;
    expect(allowedCommands(denied, citizen())).to.not.include('RequestReconsideration');
    expect(() => when(denied, { type: 'RequestReconsideration', actor: citizen(), appealCaseId: '1b8a6f5e-6c1d-4f3e-9a2b-1c2d3e4f5a6b', grounds: 'again' }, '2026-04-02')).to.throw(/final for reconsideration/);
  });

  it('the read side: appeal events keep the status they find', () => {
    for (const type of ['ReconsiderationRequested', 'LegalHoldPlaced', 'LegalHoldLifted', 'ReconsiderationDecided', 'ComplaintOpened']) {
      expect(statusAfter({ status: 'closed', resumeTo: null }, type).status, type).to.equal('closed');
    }
  });

  it('given the linked reconsideration case decided, then its jobs carry the outcome to the original case (a durable job); undecided, none', () => {
    const service = { ...SINGLE, id: 'administrative-reconsideration', department: 'JUS', materials: [] };
    const drafted = { type: 'ApplicationDrafted' as const, data: { caseId: APPEAL, serviceId: service.id, serviceVersion: 1, applicant: { type: 'person' as const, id: citizen().id }, form: { originalCaseId: 'case-1', grounds: 'x' }, bundleId: null } };
    const inReview = givenCase(service, [drafted, history.submitted(), history.accepted(), history.completed()]);
    expect(appealJobs(inReview, 'Asia/Shanghai')).to.deep.equal([]);
    const approved = when(inReview, { type: 'ApproveCase', actor: clerk('JUS') }, '2026-04-01').state;
    const [job] = appealJobs(approved, 'Asia/Shanghai');
    expect(job && job.kind === 'timer' && job.payload).to.deep.equal({ caseId: 'case-1', command: 'RecordReconsiderationOutcome', appealCaseId: APPEAL, outcome: 'approved', dueOn: '2026-04-01' });
    expect(desiredJobs(approved, calendar, 'Asia/Shanghai').map((j) => j.jobId)).to.include(`t-${APPEAL}-reconsidered`);
  });

  describe('好差评', () => {
    const denied = deniedOn('2026-03-02');
    it('given a rating of 2, then a complaint is opened due in 5 working days, with a timer for its red card; a 3 opens none', () => {
      const rated = when(denied, { type: 'RateCase', actor: citizen(), score: 2 }, '2026-03-06');
      expect(types(rated)).to.deep.equal(['CaseRated', 'ComplaintOpened']);
      expect(rated.events[1]!.data).to.deep.equal({ score: 2, openedOn: '2026-03-06', dueOn: '2026-03-13' });
      const timer = desiredJobs(rated.state, calendar, 'Asia/Shanghai').find((j) => j.kind === 'timer' && j.payload.command === 'MarkComplaintOverdue');
      expect(timer && timer.kind === 'timer' && timer.payload).to.include({ dueOn: '2026-03-13' });
      expect(types(when(denied, { type: 'RateCase', actor: citizen(), score: 3 }))).to.deep.equal(['CaseRated']);
    });

    it('given an open complaint, when the timer fires early it records nothing, after the due date a red card once; an answer stops the timer', () => {
      const rated = when(denied, { type: 'RateCase', actor: citizen(), score: 1 }, '2026-03-06').state;
      const overdue = (on: string, state = rated) => when(state, { type: 'MarkComplaintOverdue', actor: SYSTEM, dueOn: '2026-03-13' }, on);
      expect(types(overdue('2026-03-13'))).to.deep.equal([]);
      const late = overdue('2026-03-14');
      expect(types(late)).to.deep.equal(['ComplaintOverdue']);
      expect(types(overdue('2026-03-15', late.state))).to.deep.equal([]);
      const answered = when(late.state, { type: 'AnswerComplaint', actor: clerk('PSB'), response: '已整改' });
      expect(answered.events[0]!.data).to.deep.include({ department: SINGLE.department, response: '已整改' });
      expect(desiredJobs(answered.state, calendar, 'Asia/Shanghai').some((j) => j.kind === 'timer' && j.payload.command === 'MarkComplaintOverdue')).to.equal(false);
      expect(() => when(answered.state, { type: 'AnswerComplaint', actor: clerk('PSB'), response: 'again' })).to.throw(/not allowed/);
      expect(() => when(rated, { type: 'AnswerComplaint', actor: clerk('PSB'), response: ' ' })).to.throw(/must not be empty/);
    });
  });
});
