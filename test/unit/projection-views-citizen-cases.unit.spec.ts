import { expect } from 'chai';
import { CITIZEN_CASES, createCitizenCasesProjector, type CitizenCase } from '../../projections/views/index.ts';
import { citizenNo, playCase, services, type ScenarioName } from './projection-views-scenarios.ts';
import { logOf, project, toLog } from './projection-views-support.ts';

const projector = createCitizenCasesProjector({ services });

function rowOf(name: ScenarioName, stopAfter?: number): CitizenCase {
  return project(projector, logOf([{ name, caseId: 'case-1', stopAfter }])).read(CITIZEN_CASES, 'case-1') as unknown as CitizenCase;
}

describe('citizen case list projection', () => {
  it('given an approved and rated case still owing its non-key lease, keeps a small row with status, outcome, certificate and the upload owed', () => {
    const row = rowOf('approved');
    expect(row).to.deep.equal({
      caseId: 'case-1', applicantId: citizenNo(123), applicantType: 'person', serviceId: 'test-residence', serviceVersion: 1, bundleId: null,
      status: 'certificateIssued', resumeTo: null, open: true, action: 'upload', pending: { lease: 'upload' }, draftedAt: '2026-03-02T04:00:00.000Z',
      updatedAt: '2026-03-09T04:00:00.000Z', submittedOn: '2026-03-02', promisedDueOn: '2026-03-17', outcome: 'approved',
      certificateNo: row.certificateNo, rated: true, revision: '10',
    });
    expect(row.certificateNo).to.match(/^RESIDENCE-2026-/);
  });

  it('tells the applicant what to do next as the case moves', () => {
    expect(rowOf('approved', 1)).to.include({ status: 'draft', action: 'submit' });
    expect(rowOf('approved', 3)).to.include({ status: 'submitted', action: null });
    expect(rowOf('supplementExpired', 3)).to.include({ status: 'awaitingSupplement', action: 'supplement' });
    expect(rowOf('previewRefused', 4)).to.include({ status: 'gatheringEvidence', action: 'preview' });
    expect(rowOf('previewRefused', 4).pending).to.deep.equal({ degree: 'preview' });
    expect(rowOf('previewRefused', 5)).to.include({ action: 'upload' });
    expect(rowOf('previewRefused', 6)).to.include({ status: 'review', action: null });
    expect(rowOf('contested', 13)).to.include({ status: 'closed', outcome: 'denied', action: 'rate' });
    expect(rowOf('contested')).to.include({ action: null, rated: true });
    expect(rowOf('supplementExpired')).to.include({ status: 'notAccepted', open: false, action: 'rate' });
    expect(rowOf('withdrawn')).to.include({ status: 'withdrawn', open: false, action: null });
  });

  it('given evidence the applicant chose not to have fetched, asks for an upload from submission on', () => {
    const appends = playCase('previewRefused', 'case-1', { stopAfter: 2 });
    const submitted = appends[1]!.events[0]!;
    submitted.data = { ...submitted.data, explicitRequests: [] };
    const row = project(projector, toLog(appends)).read(CITIZEN_CASES, 'case-1') as unknown as CitizenCase;
    expect(row.pending).to.deep.equal({ degree: 'upload' });
    expect(row).to.include({ status: 'submitted', action: 'upload' });
  });

  it('given a case suspended while the applicant owes an upload, asks for nothing until it resumes: a suspended case takes no upload', () => {
    const appends = playCase('previewRefused', 'case-1', { stopAfter: 5 });
    const last = appends[appends.length - 1]!;
    const at = (day: string) => `${day}T04:00:00.000Z`;
    const suspend = { ...last, commandId: 'suspend', at: at('2026-03-20'), actor: { kind: 'staff', id: 'clerk-1' }, events: [{ type: 'CaseSuspended', data: { kind: 'testing', reason: 'lab test', suspendedOn: '2026-03-20' } }] };
    const resume = { ...last, commandId: 'resume', at: at('2026-03-25'), actor: { kind: 'staff', id: 'clerk-1' }, events: [{ type: 'CaseResumed', data: { resumedOn: '2026-03-25', due: { statutory: '2026-04-20', promised: '2026-04-10' } } }] };
    const suspended = project(projector, toLog([...appends, suspend] as typeof appends)).read(CITIZEN_CASES, 'case-1') as unknown as CitizenCase;
    expect(suspended).to.include({ status: 'suspended', action: null });
    expect(suspended.pending).to.deep.equal({ degree: 'upload' });
    const resumed = project(projector, toLog([...appends, suspend, resume] as typeof appends)).read(CITIZEN_CASES, 'case-1') as unknown as CitizenCase;
    expect(resumed).to.include({ action: 'upload' });
  });

  it('keeps one row per case with the applicant id to filter on', () => {
    const store = project(projector, logOf([
      { name: 'approved', caseId: 'a', applicantId: citizenNo(1) },
      { name: 'withdrawn', caseId: 'b', applicantId: citizenNo(2) },
      { name: 'instant', caseId: 'c', applicantId: citizenNo(1) },
    ]));
    const rows = Object.values(store.all(CITIZEN_CASES)) as unknown as CitizenCase[];
    expect(rows.filter((r) => r.applicantId === citizenNo(1)).map((r) => r.caseId)).to.deep.equal(['a', 'c']);
    expect(rows.find((r) => r.caseId === 'c')).to.include({ serviceId: 'test-insurance-certificate', outcome: 'approved', rated: true });
  });
});
