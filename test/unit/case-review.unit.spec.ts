import { expect } from 'chai';
import { InvalidCommandError, WrongStateError } from '../../domain/case/errors.ts';
import {
  COMMITMENT, ENTERPRISE, INSTANT, JOINT, OOTS, SINGLE, SYSTEM, citizen, clerk, givenCase, history, singleCaseInReview, types, when,
} from '../support/case-fixtures.ts';

const PSB = clerk('PSB');
const record = (materialId: string, fields: Record<string, unknown> = {}) => ({
  type: 'RecordEvidence' as const,
  actor: SYSTEM,
  materialId,
  dataItem: 'x',
  provider: 'PSB',
  fields,
  contentHash: 'h',
  retrievedAt: '2026-03-02T04:00:00Z',
  trustLevel: 'A' as const,
});

describe('case lifecycle: evidence, review and decision', () => {
  describe('evidence gathering', () => {
    const gathering = () =>
      givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB')]);

    it('given evidence requested, when it arrives, then gathering completes and the case is in review', () => {
      const decision = when(gathering(), record('household', { name: '张三' }));
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted']);
      expect(decision.state.status).to.equal('review');
    });

    it('given sources disagree, when evidence arrives with conflicts, then the conflict is flagged for the clerk', () => {
      const decision = when(gathering(), { ...record('household'), conflicts: [{ field: 'address', values: [{ source: 'PSB', value: 'A' }, { source: 'HOUSING', value: 'B' }] }] });
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceConflictFlagged', 'EvidenceGatheringCompleted']);
      expect(decision.state.context.materials.household!.conflicted).to.equal(true);
    });

    it('given the provider had no match, when recorded, then the applicant is asked to upload that item alone', () => {
      const decision = when(gathering(), { type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', reason: 'no_match', detail: 'no record' });
      expect(types(decision)).to.deep.equal(['EvidenceUnavailable']);
      expect(decision.state.context.materials.household).to.include({ status: 'upload_required', unavailableReason: 'no_match' });
      const upload = when(decision.state, { type: 'UploadMaterial', actor: citizen(), materialId: 'household', fileName: 'hukou.pdf', mediaType: 'application/pdf', size: 100, sha256: 'b'.repeat(64) });
      expect(types(upload)).to.deep.equal(['MaterialUploaded', 'EvidenceGatheringCompleted']);
    });

    it('given a non-key item still being fetched, then whichever outcome lands last completes gathering', () => {
      const withOptional = { ...SINGLE, materials: [...SINGLE.materials, { id: 'insurance', kind: 'evidence' as const, name: { 'zh-CN': '社保', en: 'Insurance' }, key: false, dataItem: 'social-insurance', fields: ['insuredStatus'] }] };
      const base = givenCase(withOptional, [
        history.drafted(withOptional), history.uploaded('photo'), history.submitted(), history.accepted(),
        { type: 'EvidenceRequested', data: { items: [{ materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: [] }, { materialId: 'insurance', dataItem: 'social-insurance', provider: 'HRSS', fields: [] }] } },
      ]);
      const unavailable = { type: 'RecordEvidenceUnavailable' as const, actor: SYSTEM, materialId: 'insurance', dataItem: 'social-insurance', provider: 'HRSS', reason: 'no_match' as const, detail: '' };
      const receivedFirst = when(base, record('household')).state;
      expect(receivedFirst.status).to.equal('gatheringEvidence');
      expect(types(when(receivedFirst, unavailable))).to.deep.equal(['EvidenceUnavailable', 'FollowUpRequired', 'EvidenceGatheringCompleted']);
      const unavailableFirst = when(base, unavailable).state;
      expect(types(when(unavailableFirst, record('household')))).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted']);
    });

    it('given evidence already recorded, when the job is redelivered, then nothing more is recorded', () => {
      const once = when(gathering(), record('household')).state;
      expect(types(when(once, record('household')))).to.deep.equal([]);
    });

    it('given an evidence material still being fetched, when the applicant uploads it anyway, then it is refused', () => {
      expect(() => when(gathering(), { type: 'UploadMaterial', actor: citizen(), materialId: 'household', fileName: 'h.pdf', mediaType: 'application/pdf', size: 1, sha256: 'c'.repeat(64) }))
        .to.throw(InvalidCommandError, /fetched from household-registration/);
    });
  });

  describe('explicit request and preview (OOTS)', () => {
    it('given the applicant did not ask to fetch the degree, when accepted, then nothing is fetched and an upload is required', () => {
      const state = givenCase(OOTS, [history.drafted(OOTS), history.submitted({ explicitRequests: [] })]);
      expect(state.context.materials.degree!.status).to.equal('upload_required');
      expect(types(when(state, { type: 'AcceptCase', actor: PSB }))).to.deep.equal(['CaseAccepted']);
    });

    it('given fetched evidence awaiting preview, when the applicant confirms, then it counts; when refused, an upload is required', () => {
      const state = givenCase(OOTS, [history.drafted(OOTS), history.submitted({ explicitRequests: ['degree'] }), history.accepted(), history.requested('degree', 'education-degree', 'EDU'), history.received('degree', { degree: 'Bachelor' })]);
      expect(state.context.materials.degree!.status).to.equal('awaiting_preview');
      expect(types(when(state, { type: 'ConfirmEvidencePreview', actor: citizen(), materialId: 'degree' }))).to.deep.equal(['EvidencePreviewConfirmed', 'EvidenceGatheringCompleted']);
      const refused = when(state, { type: 'RefuseEvidencePreview', actor: citizen(), materialId: 'degree' });
      expect(refused.state.context.materials.degree!.status).to.equal('upload_required');
      expect(refused.state.context.evidence).to.not.have.property('degree');
    });
  });

  describe('instant approval (秒批)', () => {
    const gathering = () => givenCase(INSTANT, [history.drafted(INSTANT), history.submitted(), history.accepted(), history.requested('insurance', 'social-insurance', 'HRSS')]);

    it('given every rule holds, when the evidence arrives, then the case is approved, certified and closed with no human step', () => {
      const decision = when(gathering(), record('insurance', { insuredStatus: 'active', monthsContributed: 36 }), '2026-03-03');
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted', 'CaseApproved', 'CertificateIssued', 'CaseClosed']);
      expect(decision.events[2]!.data).to.include({ by: 'rule' });
      expect(decision.events[3]!.data).to.include({ certificateType: 'SI-CERT', issuedOn: '2026-03-03', validUntil: '2026-06-03' });
      expect(decision.state.status).to.equal('closed');
    });

    it('given a rule fails, when the evidence arrives, then a clerk reviews it', () => {
      const decision = when(gathering(), record('insurance', { insuredStatus: 'suspended', monthsContributed: 36 }));
      expect(types(decision)).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted', 'InstantApprovalWithheld']);
      expect(decision.events[2]!.data).to.deep.include({ kind: 'conditions_not_met' });
      expect((decision.events[2]!.data as { reasons: string[] }).reasons.join()).to.match(/insuredStatus/);
      expect(decision.state.status).to.equal('review');
    });
  });

  describe('single review and decision', () => {
    it('given a case in review with every material in, when approved and the certificate issued, then it closes', () => {
      const leaseIn = when(singleCaseInReview(), { type: 'UploadMaterial', actor: citizen(), materialId: 'lease', fileName: 'lease.pdf', mediaType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) });
      const approved = when(leaseIn.state, { type: 'ApproveCase', actor: PSB });
      expect(types(approved)).to.deep.equal(['CaseApproved']);
      expect(approved.state.status).to.equal('approved');
      const issued = when(approved.state, { type: 'IssueCertificate', actor: PSB }, '2026-03-05');
      expect(types(issued)).to.deep.equal(['CertificateIssued', 'CaseClosed']);
      expect(issued.events[0]!.data).to.include({ certificateType: 'RESIDENCE', validUntil: '2027-03-05' });
    });

    it('given a case in review, when denied without reasons, then it is refused; with reasons it is denied and closed', () => {
      expect(() => when(singleCaseInReview(), { type: 'DenyCase', actor: PSB, reasons: [' '] })).to.throw(InvalidCommandError, /reasons/);
      expect(types(when(singleCaseInReview(), { type: 'DenyCase', actor: PSB, reasons: ['not resident'] }))).to.deep.equal(['CaseDenied', 'CaseClosed']);
    });

    it('given a case in review, when a certificate is issued before a decision, then the error names the state and allowed commands', () => {
      expect(() => when(singleCaseInReview(), { type: 'IssueCertificate', actor: PSB }))
        .to.throw(WrongStateError, /IssueCertificate is not allowed while the case is review; allowed now: .*ApproveCase/);
    });
  });

  describe('joint review (并联审批)', () => {
    const inReview = () =>
      givenCase(JOINT, [history.drafted(JOINT, ENTERPRISE), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR'), history.received('registration'), history.completed()]);

    it('given a joint service in review, when the lead approves before opinions, then it is refused', () => {
      expect(() => when(inReview(), { type: 'ApproveCase', actor: clerk('AMR') })).to.throw(WrongStateError, /review/);
    });

    it('given joint review started, when one opinion is in, approval waits; when both are in, the lead decides', () => {
      const started = when(inReview(), { type: 'StartJointReview', actor: clerk('AMR') });
      expect(started.events[0]!.data).to.deep.include({ departments: ['FIRE', 'HEALTH'] });
      const fire = when(started.state, { type: 'GiveOpinion', actor: clerk('FIRE', ['reviewer']), opinion: 'approve', comment: 'exits fine' });
      expect(() => when(fire.state, { type: 'ApproveCase', actor: clerk('AMR') })).to.throw(WrongStateError);
      expect(() => when(fire.state, { type: 'GiveOpinion', actor: clerk('FIRE', ['reviewer']), opinion: 'deny', comment: 'again' })).to.throw(WrongStateError);
      const health = when(fire.state, { type: 'GiveOpinion', actor: clerk('HEALTH', ['reviewer']), opinion: 'approve', comment: 'kitchen ok' });
      expect(types(when(health.state, { type: 'ApproveCase', actor: clerk('AMR') }))).to.deep.equal(['CaseApproved']);
    });
  });

  describe('approval on commitment (告知承诺)', () => {
    const submitted = () => givenCase(COMMITMENT, [history.drafted(COMMITMENT), history.submitted({ commitment: true })]);

    it('given a signed commitment, when accepted, then it is approved at once while evidence is fetched for verification', () => {
      const decision = when(submitted(), { type: 'AcceptCase', actor: PSB });
      expect(types(decision)).to.deep.equal(['CaseAccepted', 'EvidenceRequested', 'CaseApproved']);
      expect(decision.events[2]!.data).to.include({ by: 'commitment' });
      const issued = when(decision.state, { type: 'IssueCertificate', actor: PSB });
      expect(types(issued)).to.deep.equal(['CertificateIssued']);
      expect(() => when(issued.state, { type: 'VerifyCommitment', actor: PSB })).to.throw(WrongStateError);
      const verified = when(when(issued.state, record('household')).state, { type: 'VerifyCommitment', actor: PSB });
      expect(types(verified)).to.deep.equal(['CommitmentVerified', 'CaseClosed']);
    });

    it('given the commitment proves false, when the approval is revoked, then the case ends revoked', () => {
      const approved = when(submitted(), { type: 'AcceptCase', actor: PSB }).state;
      const revoked = when(approved, { type: 'RevokeApproval', actor: PSB, reason: 'household record contradicts the commitment' });
      expect(revoked.state.status).to.equal('revoked');
    });
  });

  describe('rating (好差评)', () => {
    it('given a closed case, when rated, then one rating is kept and a second is refused', () => {
      const closed = when(singleCaseInReview(), { type: 'DenyCase', actor: PSB, reasons: ['x'] }).state;
      expect(() => when(closed, { type: 'RateCase', actor: citizen(), score: 6 })).to.throw(InvalidCommandError, /1 to 5/);
      const rated = when(closed, { type: 'RateCase', actor: citizen(), score: 2, comment: 'slow' });
      // A rating of 2 or less also opens the department's follow-up (case-appeals.unit.spec.ts).
      expect(types(rated)).to.deep.equal(['CaseRated', 'ComplaintOpened']);
      expect(() => when(rated.state, { type: 'RateCase', actor: citizen(), score: 5 })).to.throw(WrongStateError);
    });
  });
});
