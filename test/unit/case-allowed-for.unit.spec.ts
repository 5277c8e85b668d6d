import { expect } from 'chai';
import { WrongStateError } from '../../domain/case/errors.ts';
import { allowedCommandsFor as allowedWithClerkWork } from '../../workflows/index.ts';
import { ENTERPRISE, JOINT, SINGLE, citizen, clerk, givenCase, history, OTHER_CITIZEN, when } from '../support/case-fixtures.ts';

/** The next steps of the case for this caller; claiming and assigning (clerk work, any open case) are left out. */
const allowedCommandsFor = (...args: Parameters<typeof allowedWithClerkWork>) =>
  allowedWithClerkWork(...args).filter((c) => !['ClaimCase', 'ReleaseCase', 'AssignCase'].includes(c));

const PSB = clerk('PSB');
const FIRE = clerk('FIRE', ['reviewer']);
const HEALTH = clerk('HEALTH', ['reviewer']);

function jointReviewStarted() {
  const review = givenCase(JOINT, [history.drafted(JOINT, ENTERPRISE), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR'), history.received('registration'), history.completed()]);
  return when(review, { type: 'StartJointReview', actor: clerk('AMR') }).state;
}

describe('who may do what next, for this caller', () => {
  it('given a submitted case, then the clerk is offered intake and never the applicant\'s commands, and the applicant the reverse', () => {
    const submitted = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);
    expect(allowedCommandsFor(submitted, PSB)).to.have.members(['AcceptCase', 'NotAcceptCase', 'RequestSupplement']);
    expect(allowedCommandsFor(submitted, citizen())).to.have.members(['UploadMaterial', 'WithdrawApplication']);
    expect(allowedCommandsFor(submitted, citizen(OTHER_CITIZEN))).to.deep.equal([]);
  });

  it('given a department that gave its opinion, then GiveOpinion is not offered to it while still offered to the one that has not', () => {
    const fireSpoke = when(jointReviewStarted(), { type: 'GiveOpinion', actor: FIRE, opinion: 'approve', comment: '' }).state;
    expect(allowedCommandsFor(fireSpoke, FIRE)).to.not.include('GiveOpinion');
    expect(allowedCommandsFor(fireSpoke, HEALTH)).to.include('GiveOpinion');
  });

  it('given a department that gave its opinion, when it gives another, then the 409 names the state and offers it nothing', () => {
    const fireSpoke = when(jointReviewStarted(), { type: 'GiveOpinion', actor: FIRE, opinion: 'approve', comment: '' }).state;
    try {
      when(fireSpoke, { type: 'GiveOpinion', actor: FIRE, opinion: 'deny', comment: '' });
      expect.fail('a second opinion was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(WrongStateError);
      expect((error as WrongStateError).state).to.equal('jointReview');
      expect((error as WrongStateError).allowed.filter((c) => !['ClaimCase', 'AssignCase'].includes(c))).to.deep.equal([]);
    }
  });

  it('given a refused clerk command, then the allowed list in the error is the one for that clerk, without the applicant\'s commands', () => {
    const draft = givenCase(SINGLE, [history.drafted(SINGLE)]);
    try {
      when(draft, { type: 'AcceptCase', actor: PSB });
      expect.fail('a draft was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(WrongStateError);
      expect((error as WrongStateError).allowed).to.deep.equal([]);
    }
  });

  it('given a supplement already requested and answered, when the clerk asks again for a material now provided, then it is refused for the state, not as bad input', () => {
    const answered = givenCase(SINGLE, [
      history.drafted(SINGLE),
      history.submitted(),
      { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-09' } },
      history.uploaded('photo'),
      { type: 'SupplementProvided', data: { materialIds: ['photo'], providedOn: '2026-03-03' } },
    ]);
    expect(allowedCommandsFor(answered, PSB)).to.not.include('RequestSupplement');
    expect(() => when(answered, { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'photo', note: '' }] })).to.throw(WrongStateError, /RequestSupplement is not allowed while the case is submitted/);
  });
});
