import { expect } from 'chai';
import { allowedCommands } from '../../workflows/index.ts';
import { ENTERPRISE, JOINT, SINGLE, citizen, clerk, givenCase, history, singleCaseInReview, when } from '../support/case-fixtures.ts';

describe('commands allowed now (what the UI offers)', () => {
  it('given a case gathering evidence, then approving is not offered, since only commitment cases approve before review', () => {
    const gathering = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB')]);
    expect(allowedCommands(gathering)).to.not.include('ApproveCase');
    expect(allowedCommands(gathering)).to.include.members(['WithdrawApplication', 'ExtendDeadline', 'SuspendCase']);
    expect(allowedCommands(gathering)).to.not.include('ConfirmEvidencePreview');
  });

  it('given a joint-review service in review, then joint review is offered and the decision is not', () => {
    const review = givenCase(JOINT, [history.drafted(JOINT, ENTERPRISE), history.submitted(), history.accepted(), history.requested('registration', 'business-registration', 'AMR'), history.received('registration'), history.completed()]);
    expect(allowedCommands(review)).to.include('StartJointReview');
    expect(allowedCommands(review)).to.not.include.members(['ApproveCase', 'DenyCase']);
    const started = when(review, { type: 'StartJointReview', actor: clerk('AMR') }).state;
    expect(allowedCommands(started)).to.include('GiveOpinion');
    const opinions = ['FIRE', 'HEALTH'].reduce((state, department) => when(state, { type: 'GiveOpinion', actor: clerk(department, ['reviewer']), opinion: 'approve', comment: '' }).state, started);
    expect(allowedCommands(opinions)).to.include.members(['ApproveCase', 'DenyCase']);
    expect(allowedCommands(opinions)).to.not.include('GiveOpinion');
  });

  it('given the extension budget spent, then extending is no longer offered', () => {
    const spent = when(singleCaseInReview(), { type: 'ExtendDeadline', actor: clerk('PSB'), days: 10, reason: 'inspection' }).state;
    expect(allowedCommands(singleCaseInReview())).to.include('ExtendDeadline');
    expect(allowedCommands(spent)).to.not.include('ExtendDeadline');
  });

  it('given a case closed by a denial, then only rating and reconsideration (行政复议) are offered, each once', () => {
    const closed = when(singleCaseInReview(), { type: 'DenyCase', actor: clerk('PSB'), reasons: ['x'] }).state;
    expect(allowedCommands(closed)).to.deep.equal(['RateCase', 'RequestReconsideration']);
    const rated = when(closed, { type: 'RateCase', actor: citizen(), score: 4 }).state;
    const asked = when(rated, { type: 'RequestReconsideration', actor: citizen(), appealCaseId: '0b8a6f5e-6c1d-4f3e-9a2b-1c2d3e4f5a6b', grounds: 'x' }).state;
    expect(allowedCommands(asked)).to.deep.equal([]);
  });
});
