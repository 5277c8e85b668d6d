import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, givenCase, history, types, when } from '../support/case-fixtures.ts';

const PSB = clerk('PSB');
const calendar = loadCalendar('CN');
/** The lease (non-key) is owed within 10 working days of acceptance or approval. */
const LENIENT: ServiceDefinition = { ...SINGLE, limits: { ...SINGLE.limits, followUpDays: 10 } };

const uploadLease = (state: CaseState, on: string) =>
  when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'lease', fileName: 'lease.pdf', mediaType: 'application/pdf', size: 10, sha256: 'e'.repeat(64) }, on);

/** Accepted Monday 2026-03-02 with the lease missing, evidence in, approved and certified. */
function certifiedWithLeaseOwed(): CaseState {
  let state = givenCase(LENIENT, [history.drafted(LENIENT), history.uploaded('photo'), history.submitted()]);
  state = when(state, { type: 'AcceptCase', actor: PSB }, '2026-03-02').state;
  state = when(state, { type: 'RecordEvidence', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: {}, contentHash: 'h', retrievedAt: '2026-03-02T04:00:00Z', trustLevel: 'A' }, '2026-03-02').state;
  state = when(state, { type: 'ApproveCase', actor: PSB }, '2026-03-03').state;
  return when(state, { type: 'IssueCertificate', actor: PSB }, '2026-03-03').state;
}

describe('容缺受理 has a follow-up: the missing non-key material is owed by a due date', () => {
  it('given the lease missing at acceptance, when accepted, then an obligation due in the service\'s working days is recorded', () => {
    const state = givenCase(LENIENT, [history.drafted(LENIENT), history.uploaded('photo'), history.submitted()]);
    const accepted = when(state, { type: 'AcceptCase', actor: PSB }, '2026-03-02');
    expect(accepted.events.at(-1)).to.deep.equal({ type: 'FollowUpRequired', data: { items: [{ materialId: 'lease', dueOn: '2026-03-16' }], recordedOn: '2026-03-02' } });
    expect(accepted.state.context.followUps.lease).to.deep.equal({ since: '2026-03-02', dueOn: '2026-03-16', providedOn: null, reminders: [] });
  });

  it('given a service without followUpDays, when accepted, then the supplement limit (in working days) applies', () => {
    const state = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted()]);
    expect(when(state, { type: 'AcceptCase', actor: PSB }, '2026-03-02').state.context.followUps.lease?.dueOn).to.equal('2026-03-09');
  });

  it('given the lease still owed, when the certificate is issued, then the case stays open (certificateIssued) instead of closing', () => {
    const state = certifiedWithLeaseOwed();
    expect(state.status).to.equal('certificateIssued');
    expect(state.context.closedOn).to.equal(null);
  });

  it('given a case approved in review with the lease missing and no obligation yet, when approved, then the obligation is recorded with the approval', () => {
    let state = givenCase(LENIENT, [history.drafted(LENIENT), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed()]);
    const approved = when(state, { type: 'ApproveCase', actor: PSB }, '2026-03-05');
    expect(types(approved)).to.deep.equal(['CaseApproved', 'FollowUpRequired']);
    state = approved.state;
    expect(state.context.followUps.lease?.dueOn).to.equal('2026-03-19');
  });

  it('given a non-key evidence item its department cannot deliver, when the outcome is recorded, then the applicant owes it from that day, and approval owes nothing twice', () => {
    const OPTIONAL_HOUSEHOLD: ServiceDefinition = { ...LENIENT, materials: LENIENT.materials.map((m) => (m.id === 'household' ? { ...m, key: false } : m)) };
    let state = givenCase(OPTIONAL_HOUSEHOLD, [history.drafted(OPTIONAL_HOUSEHOLD), history.uploaded('photo'), history.uploaded('lease'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB')]);
    const unavailable = when(state, { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', reason: 'provider_down', detail: 'gateway down' }, '2026-03-03');
    expect(types(unavailable)).to.deep.equal(['EvidenceUnavailable', 'FollowUpRequired', 'EvidenceGatheringCompleted']);
    expect(unavailable.state.context.followUps.household).to.deep.equal({ since: '2026-03-03', dueOn: '2026-03-17', providedOn: null, reminders: [] });
    state = unavailable.state;
    expect(types(when(state, { type: 'ApproveCase', actor: PSB }, '2026-03-05'))).to.deep.equal(['CaseApproved']);
  });

  it('given a key evidence item its department cannot deliver, when the outcome is recorded, then no obligation is recorded (the upload is required, not owed later)', () => {
    const state = givenCase(LENIENT, [history.drafted(LENIENT), history.uploaded('photo'), history.uploaded('lease'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB')]);
    const unavailable = when(state, { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', reason: 'provider_down', detail: 'gateway down' }, '2026-03-03');
    expect(types(unavailable)).to.not.include('FollowUpRequired');
    expect(unavailable.state.context.followUps.household).to.equal(undefined);
  });

  it('given a certified case owing the lease, when the applicant uploads it, then the obligation is met and the case closes', () => {
    const provided = uploadLease(certifiedWithLeaseOwed(), '2026-03-10');
    expect(types(provided)).to.deep.equal(['MaterialUploaded', 'FollowUpProvided', 'CaseClosed']);
    expect(provided.state.status).to.equal('closed');
    expect(provided.state.context.followUps.lease?.providedOn).to.equal('2026-03-10');
  });

  it('given a certified case with nothing owed, when an upload is attempted, then the machine refuses it', () => {
    const closed = uploadLease(certifiedWithLeaseOwed(), '2026-03-10').state;
    expect(() => uploadLease(closed, '2026-03-11')).to.throw(/UploadMaterial/);
  });

  it('given an obligation due 2026-03-16, then a yellow reminder is timed warningDays before and a red one the day after; each records once', () => {
    const state = certifiedWithLeaseOwed();
    const timers = desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && j.payload.command === 'RemindFollowUp');
    expect(timers.map((t) => [t.jobId, t.kind === 'timer' && t.runAt.toISOString()])).to.deep.equal([
      ['t-case-1-followup-lease-2026-03-16-yellow', '2026-03-11T16:00:00.000Z'],
      ['t-case-1-followup-lease-2026-03-16-red', '2026-03-16T16:00:00.000Z'],
    ]);
    const remind = (level: 'yellow' | 'red', on: string, s = state) => when(s, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn: '2026-03-16', level }, on);
    const yellow = remind('yellow', '2026-03-12');
    expect(types(yellow)).to.deep.equal(['FollowUpReminderRaised']);
    expect(types(remind('yellow', '2026-03-12', yellow.state))).to.deep.equal([]);
    expect(types(remind('red', '2026-03-16'))).to.deep.equal([]);
    const red = remind('red', '2026-03-17', yellow.state);
    expect(red.events[0]!.data).to.deep.equal({ materialId: 'lease', dueOn: '2026-03-16', level: 'red', raisedOn: '2026-03-17' });
    expect(desiredJobs(red.state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && j.payload.command === 'RemindFollowUp')).to.deep.equal([]);
  });

  it('given the obligation met, when a reminder timer fires late, then it records nothing', () => {
    const provided = uploadLease(certifiedWithLeaseOwed(), '2026-03-10').state;
    expect(types(when(provided, { type: 'RemindFollowUp', actor: SYSTEM, materialId: 'lease', dueOn: '2026-03-16', level: 'red' }, '2026-03-17'))).to.deep.equal([]);
  });
});
