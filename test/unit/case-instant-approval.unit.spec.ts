import { expect } from 'chai';
import { loadCalendar } from '../../adapters/files/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { desiredJobs } from '../../workflows/index.ts';
import { ENTERPRISE, INSTANT, SINGLE, SYSTEM, citizen, givenCase, history, types, when } from '../support/case-fixtures.ts';

const calendar = loadCalendar('CN');
const label = (en: string) => ({ 'zh-CN': en, en });

/** A tax clearance at TAX: approved by rule when the enterprise's registration is active. */
const TAX: ServiceDefinition = {
  ...INSTANT,
  id: 'test-tax-clearance',
  department: 'TAX',
  applicantType: 'enterprise',
  materials: [
    { id: 'registration', kind: 'evidence', name: label('Registration'), key: true, dataItem: 'business-registration', fields: ['status'] },
    { id: 'bank-letter', kind: 'upload', name: label('Bank letter'), key: false, mediaTypes: ['application/pdf'], maxBytes: 1_000_000 },
  ],
  instantApproval: { conditions: [{ material: 'registration', field: 'status', op: 'eq', value: 'active' }] },
  limits: { ...INSTANT.limits, followUpDays: 10 },
};

const record = (extra: Record<string, unknown> = {}, fields: Record<string, unknown> = { status: 'active' }) => ({
  type: 'RecordEvidence' as const,
  actor: SYSTEM,
  materialId: 'registration',
  dataItem: 'business-registration',
  provider: 'AMR',
  fields,
  contentHash: 'h',
  retrievedAt: '2026-03-02T04:00:00Z',
  trustLevel: 'A' as const,
  ...extra,
});

const gathering = () =>
  givenCase(TAX, [history.drafted(TAX, ENTERPRISE), history.uploaded('bank-letter'), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR')]);

describe('秒批: instant approval with no human step, and never on doubtful data', () => {
  describe('acceptance on submission', () => {
    it('given an instant-approval service just submitted, when the platform acts, then it accepts with a receipt and requests the evidence at once', () => {
      const submitted = givenCase(INSTANT, [history.drafted(INSTANT), history.submitted()]);
      const decision = when(submitted, { type: 'AcceptOnSubmission', actor: { kind: 'system', id: 'platform' } }, '2026-03-02');
      expect(types(decision)).to.deep.equal(['CaseAccepted', 'EvidenceRequested']);
      expect(decision.events[0]!.data).to.include({ deemed: false, acceptedOn: '2026-03-02' });
      expect((decision.events[0]!.data as { receiptNo: string }).receiptNo).to.match(/^R-20260302-/);
      expect(decision.state.status).to.equal('gatheringEvidence');
    });

    it('given an instant-approval case whose acceptance timer fired only after the intake limit (the workers were down), then it is deemed accepted from receipt (art. 32), not from the day the timer ran', () => {
      const submitted = givenCase(INSTANT, [history.drafted(INSTANT), history.submitted()]);
      const late = when(submitted, { type: 'AcceptOnSubmission', actor: SYSTEM }, '2026-03-12');
      expect(types(late)[0]).to.equal('CaseAccepted');
      expect(late.events[0]!.data).to.include({ deemed: true, acceptedOn: '2026-03-02' });
      expect((late.events[0]!.data as { receiptNo: string }).receiptNo).to.match(/^R-20260302-/);
    });

    it('given an instant-approval draft, when the citizen submits, then the platform accepts in the same append: submission by the citizen, receipt and evidence request by the platform', () => {
      const draft = givenCase(INSTANT, [history.drafted(INSTANT)]);
      const decision = when(draft, { type: 'SubmitApplication', actor: citizen() }, '2026-03-02');
      expect(types(decision)).to.deep.equal(['ApplicationSubmitted', 'CaseAccepted', 'EvidenceRequested']);
      expect(decision.platformFrom, 'the acceptance is the platform\'s, from the second event on').to.equal(1);
      expect(decision.events[1]!.data).to.include({ deemed: false, acceptedOn: '2026-03-02' });
      expect((decision.events[1]!.data as { receiptNo: string }).receiptNo).to.match(/^R-20260302-/);
      expect(decision.state.status).to.equal('gatheringEvidence');
      // Nothing left for the timer: a case that is no longer submitted gets no acceptance (or intake) timer.
      expect(desiredJobs(decision.state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'timer' && (j.payload.command === 'AcceptOnSubmission' || j.payload.command === 'DeemAccepted'))).to.deep.equal([]);
      expect(desiredJobs(decision.state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'evidence').map((j) => j.jobId)).to.have.length(1);
    });

    it('given the same-append acceptance, when the timer of an older engine fires afterwards, then it records nothing', () => {
      const draft = givenCase(INSTANT, [history.drafted(INSTANT)]);
      const submitted = when(draft, { type: 'SubmitApplication', actor: citizen() });
      expect(types(when(submitted.state, { type: 'AcceptOnSubmission', actor: SYSTEM }))).to.deep.equal([]);
    });

    it('given an instant-approval service whose materials are all uploads, when the citizen submits, then acceptance, rule and certificate land in the one append', () => {
      const uploadsOnly: ServiceDefinition = {
        ...INSTANT,
        materials: [{ id: 'photo', kind: 'upload', name: label('Photo'), key: true, mediaTypes: ['image/jpeg'], maxBytes: 1000 }],
        instantApproval: { conditions: [] },
      };
      const draft = givenCase(uploadsOnly, [history.drafted(uploadsOnly), history.uploaded('photo')]);
      const decision = when(draft, { type: 'SubmitApplication', actor: citizen() });
      expect(types(decision)).to.deep.equal(['ApplicationSubmitted', 'CaseAccepted', 'EvidenceGatheringCompleted', 'CaseApproved', 'CertificateIssued', 'CaseClosed']);
      expect(decision.platformFrom).to.equal(1);
    });

    it('given an instant-approval draft missing a key upload, when submitted, then no acceptance: it waits for a clerk, and the upload that completes it is accepted by the platform in its append', () => {
      const withUpload: ServiceDefinition = { ...INSTANT, materials: [...INSTANT.materials, { id: 'photo', kind: 'upload', name: label('Photo'), key: true, mediaTypes: ['image/jpeg'], maxBytes: 1000 }] };
      const submitted = when(givenCase(withUpload, [history.drafted(withUpload)]), { type: 'SubmitApplication', actor: citizen() });
      expect(types(submitted)).to.deep.equal(['ApplicationSubmitted']);
      expect(submitted.platformFrom).to.equal(undefined);
      expect(submitted.state.status).to.equal('submitted');
      const uploaded = when(submitted.state, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) });
      expect(types(uploaded)).to.deep.equal(['MaterialUploaded', 'CaseAccepted', 'EvidenceRequested']);
      expect(uploaded.platformFrom).to.equal(1);
    });

    it('given a service without rules, when submitted, then it waits for a clerk as before', () => {
      const decision = when(givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo')]), { type: 'SubmitApplication', actor: citizen() });
      expect(types(decision)).to.deep.equal(['ApplicationSubmitted']);
      expect(decision.state.status).to.equal('submitted');
    });

    it('given a submitted instant-approval case, then its jobs include an acceptance timer due at once; a service without rules gets none', () => {
      const submitted = givenCase(INSTANT, [history.drafted(INSTANT), history.submitted()]);
      const timer = desiredJobs(submitted, calendar, 'Asia/Shanghai').find((j) => j.kind === 'timer' && j.payload.command === 'AcceptOnSubmission');
      expect(timer, 'an AcceptOnSubmission timer').to.not.equal(undefined);
      expect(timer!.kind === 'timer' && timer!.runAt.toISOString()).to.equal(submitted.context.lastEventAt);
      const manual = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted()]);
      expect(desiredJobs(manual, calendar, 'Asia/Shanghai').some((j) => j.kind === 'timer' && j.payload.command === 'AcceptOnSubmission')).to.equal(false);
    });

    it('given a service without rules, or a case already accepted, when the acceptance timer fires, then it records nothing', () => {
      const manual = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted()]);
      expect(types(when(manual, { type: 'AcceptOnSubmission', actor: SYSTEM }))).to.deep.equal([]);
      const accepted = givenCase(INSTANT, [history.drafted(INSTANT), history.submitted(), history.accepted()]);
      expect(types(when(accepted, { type: 'AcceptOnSubmission', actor: SYSTEM }))).to.deep.equal([]);
    });

    it('given an instant-approval case whose key upload is missing, when the timer fires, then a clerk decides intake instead', () => {
      const withUpload: ServiceDefinition = { ...INSTANT, materials: [...INSTANT.materials, { id: 'photo', kind: 'upload', name: label('Photo'), key: true, mediaTypes: ['image/jpeg'], maxBytes: 1000 }] };
      const submitted = givenCase(withUpload, [history.drafted(withUpload), history.submitted()]);
      expect(types(when(submitted, { type: 'AcceptOnSubmission', actor: SYSTEM }))).to.deep.equal([]);
    });
  });

  describe('the rule decides only on clean data', () => {
    it('given clean, final evidence that satisfies the rule, when it arrives, then the case is approved and certified by rule', () => {
      const decision = when(gathering(), record());
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted', 'CaseApproved', 'CertificateIssued', 'CaseClosed']);
    });

    it('given the sources disagree on the very field the rule tests (active vs revoked), when the evidence arrives, then no approval: the case waits in review with the conflict named', () => {
      const conflicts = [{ field: 'status', values: [{ source: 'AMR', value: 'active' }, { source: 'base-library', value: 'revoked' }] }];
      const decision = when(gathering(), record({ conflicts }));
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceConflictFlagged', 'EvidenceGatheringCompleted', 'InstantApprovalWithheld']);
      expect(decision.events[3]!.data).to.deep.include({ kind: 'doubtful_data', reasons: ['registration: sources disagree on status'] });
      expect(decision.state.status).to.equal('review');
      expect(decision.state.context.decision).to.equal(null);
    });

    it('given a quality issue on the record, when it arrives, then no approval and the issue is the reason', () => {
      const decision = when(gathering(), record({ qualityIssues: ['status is not one of active, revoked'] }));
      expect(types(decision).at(-1)).to.equal('InstantApprovalWithheld');
      expect((decision.events.at(-1)!.data as { reasons: string[] }).reasons).to.deep.equal(['registration: quality issue: status is not one of active, revoked']);
    });

    it('given a record marked provisional at its source, when it arrives, then no approval', () => {
      const decision = when(gathering(), record({ provisional: true }));
      expect(decision.events[0]!.data).to.include({ provisional: true });
      expect((decision.events.at(-1)!.data as { reasons: string[] }).reasons).to.deep.equal(['registration: the record is provisional at its source']);
      expect(decision.state.status).to.equal('review');
    });

    it('given the source could not supply it and the applicant uploaded it instead, when the upload lands, then no approval', () => {
      const unavailable = when(gathering(), { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'registration', dataItem: 'business-registration', provider: 'AMR', reason: 'no_match', detail: 'none' });
      expect(unavailable.state.status).to.equal('gatheringEvidence');
      const uploaded = when(unavailable.state, { type: 'UploadMaterial', actor: citizen(ENTERPRISE), materialId: 'registration', fileName: 'r.pdf', mediaType: 'application/pdf', size: 10, sha256: 'c'.repeat(64) });
      expect(types(uploaded)).to.deep.equal(['MaterialUploaded', 'EvidenceGatheringCompleted', 'InstantApprovalWithheld']);
      expect((uploaded.events[2]!.data as { reasons: string[] }).reasons[0]).to.match(/uploaded by the applicant instead of fetched/);
    });

    it('given a doubt only on a material no condition reads, when clean rule inputs arrive, then the rule still decides', () => {
      const twoItems: ServiceDefinition = {
        ...TAX,
        materials: [...TAX.materials, { id: 'tax', kind: 'evidence', name: label('Tax'), key: true, dataItem: 'tax-clearance', fields: ['arrearsAmount'] }],
      };
      const state = givenCase(twoItems, [
        history.drafted(twoItems, ENTERPRISE), history.uploaded('bank-letter'), history.submitted(), history.accepted(),
        { type: 'EvidenceRequested', data: { items: [{ materialId: 'registration', dataItem: 'business-registration', provider: 'AMR', fields: [] }, { materialId: 'tax', dataItem: 'tax-clearance', provider: 'TAX', fields: [] }] } },
      ]);
      const taxIn = when(state, { ...record({ qualityIssues: ['arrearsAmount is required but empty'] }, { arrearsAmount: 0 }), materialId: 'tax', dataItem: 'tax-clearance', provider: 'TAX' });
      expect(types(when(taxIn.state, record())).slice(-3)).to.deep.equal(['CaseApproved', 'CertificateIssued', 'CaseClosed']);
    });
  });
});
