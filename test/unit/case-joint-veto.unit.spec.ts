import { expect } from 'chai';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { InvalidCommandError, WrongStateError } from '../../domain/case/errors.ts';
import { allowedCommandsFor as allowedWithClerkWork, type CaseState } from '../../workflows/index.ts';
import { ENTERPRISE, JOINT, citizen, clerk, givenCase, history, types, when } from '../support/case-fixtures.ts';

/** The next steps of the case for this caller; claiming and assigning (clerk work, any open case) are left out. */
const allowedCommandsFor = (...args: Parameters<typeof allowedWithClerkWork>) =>
  allowedWithClerkWork(...args).filter((c) => !['ClaimCase', 'ReleaseCase', 'AssignCase'].includes(c));

const AMR = clerk('AMR');
const FIRE = clerk('FIRE', ['reviewer']);
const HEALTH = clerk('HEALTH', ['reviewer']);
const applicant = citizen(ENTERPRISE);

/** Restaurant opening with a floor plan the applicant can be asked to redo. */
const WITH_PLAN: ServiceDefinition = {
  ...JOINT,
  materials: [...JOINT.materials, { id: 'floor-plan', kind: 'upload', name: { 'zh-CN': '平面图', en: 'Floor plan' }, key: false, mediaTypes: ['application/pdf'], maxBytes: 5_000_000 }],
};

function inJointReview(definition: ServiceDefinition): CaseState {
  const review = givenCase(definition, [history.drafted(definition, ENTERPRISE), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR'), history.received('registration'), history.completed()]);
  return when(review, { type: 'StartJointReview', actor: AMR }).state;
}
const opinion = (state: CaseState, actor: typeof FIRE, value: 'approve' | 'deny') => when(state, { type: 'GiveOpinion', actor, opinion: value, comment: value === 'deny' ? 'exits too narrow' : '' }).state;
const approve = (state: CaseState) => when(state, { type: 'ApproveCase', actor: AMR, reasons: [] });
const upload = (state: CaseState) => when(state, { type: 'UploadMaterial', actor: applicant, materialId: 'floor-plan', fileName: 'plan.pdf', mediaType: 'application/pdf', size: 100, sha256: 'd'.repeat(64) }).state;

describe('joint review with vetoes (consent required by law)', () => {
  it('given a co-reviewer whose consent is required by law denies, when the lead approves, then it is refused; denial is offered instead', () => {
    const vetoed = opinion(opinion(inJointReview(WITH_PLAN), FIRE, 'deny'), HEALTH, 'approve');
    expect(() => approve(vetoed)).to.throw(WrongStateError, /ApproveCase is not allowed while the case is jointReview/);
    expect(allowedCommandsFor(vetoed, AMR)).to.include.members(['DenyCase', 'RequestRevision']).and.not.include('ApproveCase');
    expect(types(when(vetoed, { type: 'DenyCase', actor: AMR, reasons: ['fire safety consent refused'] }))).to.deep.equal(['CaseDenied', 'CaseClosed']);
  });

  it('given a veto while another opinion is still pending, then the lead may already deny but not approve', () => {
    const vetoed = opinion(inJointReview(WITH_PLAN), FIRE, 'deny');
    expect(allowedCommandsFor(vetoed, AMR)).to.include('DenyCase').and.not.include('ApproveCase');
    expect(allowedCommandsFor(vetoed, HEALTH)).to.deep.equal(['GiveOpinion']);
  });

  it('given a co-reviewer the service marks advisory denies, when the lead approves after all opinions, then the approval stands', () => {
    const advisory = { ...WITH_PLAN, advisoryCoReviewers: ['HEALTH'] };
    const started = inJointReview(advisory);
    expect(started.context.jointReview?.advisory).to.deep.equal(['HEALTH']);
    const state = opinion(opinion(started, HEALTH, 'deny'), FIRE, 'approve');
    expect(allowedCommandsFor(state, AMR)).to.not.include('RequestRevision');
    expect(approve(state).state.status).to.equal('approved');
  });

  it('given no veto, when the lead sends the case back for revision, then it is refused for the state', () => {
    const agreed = opinion(opinion(inJointReview(WITH_PLAN), FIRE, 'approve'), HEALTH, 'approve');
    expect(() => when(agreed, { type: 'RequestRevision', actor: AMR, items: [{ materialId: 'floor-plan', note: '' }] })).to.throw(WrongStateError);
  });

  it('given a veto, when the lead sends it back, the applicant uploads the plan and answers, then the vetoing department revises and the lead may approve', () => {
    const vetoed = opinion(opinion(inJointReview(WITH_PLAN), FIRE, 'deny'), HEALTH, 'approve');
    expect(() => when(vetoed, { type: 'RequestRevision', actor: AMR, items: [{ materialId: 'registration', note: '' }] })).to.throw(InvalidCommandError, /fetched/);
    const sentBack = when(vetoed, { type: 'RequestRevision', actor: AMR, items: [{ materialId: 'floor-plan', note: 'widen the exits' }] });
    expect(types(sentBack)).to.deep.equal(['RevisionRequested']);
    expect(sentBack.events[0]!.data).to.deep.include({ departments: ['FIRE'] });
    expect(sentBack.state.status).to.equal('awaitingRevision');
    expect(allowedCommandsFor(sentBack.state, FIRE)).to.deep.equal([]);
    // The plan was uploaded before the veto: asked for again, it is the applicant's to upload, and the answer waits for it.
    expect(allowedCommandsFor(sentBack.state, applicant)).to.include('UploadMaterial').and.not.include('ProvideRevisionSupplement');
    expect(() => when(sentBack.state, { type: 'ProvideRevisionSupplement', actor: applicant })).to.throw(InvalidCommandError, /floor-plan/);
    expect(allowedCommandsFor(upload(sentBack.state), applicant)).to.include('ProvideRevisionSupplement');

    const answered = when(upload(sentBack.state), { type: 'ProvideRevisionSupplement', actor: applicant });
    expect(types(answered)).to.deep.equal(['RevisionSupplementProvided']);
    expect(answered.state.status).to.equal('jointReview');
    expect(allowedCommandsFor(answered.state, FIRE)).to.deep.equal(['GiveOpinion']);
    expect(allowedCommandsFor(answered.state, HEALTH)).to.deep.equal([]);
    expect(allowedCommandsFor(answered.state, AMR)).to.not.include.members(['ApproveCase', 'DenyCase']);

    const revised = opinion(answered.state, FIRE, 'approve');
    expect(approve(revised).state.status).to.equal('approved');
  });

  it('given the revision still vetoed, then the lead still cannot approve', () => {
    const vetoed = opinion(opinion(inJointReview(WITH_PLAN), FIRE, 'deny'), HEALTH, 'approve');
    const sentBack = when(vetoed, { type: 'RequestRevision', actor: AMR, items: [{ materialId: 'floor-plan', note: '' }] }).state;
    const again = opinion(when(upload(sentBack), { type: 'ProvideRevisionSupplement', actor: applicant }).state, FIRE, 'deny');
    expect(() => approve(again)).to.throw(WrongStateError);
  });
});
