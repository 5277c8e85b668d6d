import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, givenCase, history, types, when } from '../support/case-fixtures.ts';

const PSB = clerk('PSB');
const calendar = loadCalendar('CN');
/** Fifteen working days to supplement, so an answer on day 10 is in time. */
const PATIENT: ServiceDefinition = { ...SINGLE, limits: { ...SINGLE.limits, supplementDays: 15 } };

/** Submitted Monday 2026-03-02 (day 1): intake due 2026-03-09; the clerk asks for the photo the same day. */
function awaitingPhoto(definition: ServiceDefinition): CaseState {
  const submitted = givenCase(definition, [history.drafted(definition), history.submitted()]);
  return when(submitted, { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'photo', note: 'a recent photo' }] }, '2026-03-02').state;
}

const upload = (state: CaseState, on: string) =>
  when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'd'.repeat(64) }, on).state;

const intakeTimers = (state: CaseState) =>
  desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && j.payload.command === 'DeemAccepted').map((j) => j.jobId);

describe('the supplement notice and the intake clock (Administrative Licensing Law art. 32)', () => {
  it('given a supplement requested on day 1, when it is answered on day 10, then nothing is deemed accepted and the intake limit runs 5 working days from day 10', () => {
    const requested = awaitingPhoto(PATIENT);
    expect(requested.context.intakeDueOn).to.equal('2026-03-09');
    expect(intakeTimers(requested), 'no intake timer while the clock is stopped').to.deep.equal([]);
    const answered = when(upload(requested, '2026-03-11'), { type: 'ProvideSupplement', actor: citizen() }, '2026-03-11');
    expect(types(answered)).to.deep.equal(['SupplementProvided']);
    expect(answered.events[0]!.data).to.deep.include({ providedOn: '2026-03-11', intakeDueOn: '2026-03-18' });
    expect(answered.state.status).to.equal('submitted');
    expect(answered.state.context.intakeDueOn).to.equal('2026-03-18');
    // The stale timer for the old due date, and any firing before the new one, record nothing.
    expect(types(when(answered.state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-11'))).to.deep.equal([]);
    expect(types(when(answered.state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-18'))).to.deep.equal([]);
    expect(intakeTimers(answered.state)).to.deep.equal([`t-case-1-intake-2026-03-18`]);
    const deemed = when(answered.state, { type: 'DeemAccepted', actor: SYSTEM }, '2026-03-19');
    expect(types(deemed)[0]).to.equal('CaseAccepted');
    // Accepted from the day the supplement completed the application (art. 32), not from the day the limit was found
    // to have run out: the statutory and promised limits run from 03-11.
    expect(deemed.events[0]!.data).to.include({ deemed: true, acceptedOn: '2026-03-11' });
    const accepted = deemed.events[0]!.data as { due: { statutory: string; promised: string }; receiptNo: string };
    const limits = answered.state.definition.limits;
    expect(accepted.due).to.deep.equal({ statutory: calendar.addDays('2026-03-11', limits.statutoryDays, limits.dayKind), promised: calendar.addDays('2026-03-11', limits.promisedDays, limits.dayKind) });
    expect(accepted.receiptNo).to.match(/^R-20260311-/);
  });

  it('given the supplement period ended (due 2026-03-09), when the applicant answers late on 2026-03-10, then the answer is refused naming the date', () => {
    const requested = awaitingPhoto(SINGLE);
    expect(requested.context.supplement.dueOn).to.equal('2026-03-09');
    const late = upload(requested, '2026-03-10');
    expect(() => when(late, { type: 'ProvideSupplement', actor: citizen() }, '2026-03-10')).to.throw(InvalidCommandError, /ended on 2026-03-09/);
    const expired = when(late, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-03-10');
    expect(types(expired)).to.deep.equal(['CaseNotAccepted']);
    expect(expired.state.status).to.equal('notAccepted');
  });

  it('given a supplement never answered, when the timer fires the day after its due date, then the case ends as not accepted with a written reason', () => {
    const requested = awaitingPhoto(SINGLE);
    const timer = desiredJobs(requested, calendar, 'Asia/Shanghai').find((j) => j.kind === 'timer' && j.payload.command === 'ExpireSupplement');
    expect(timer?.jobId).to.equal('t-case-1-supplement-2026-03-09');
    expect(types(when(requested, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-03-09'))).to.deep.equal([]);
    const expired = when(requested, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-03-10');
    expect(expired.events[0]!.data).to.deep.equal({ reason: 'supplement not provided by 2026-03-09', decidedOn: '2026-03-10' });
    expect(expired.state.context.closedOn).to.equal('2026-03-10');
  });
});
