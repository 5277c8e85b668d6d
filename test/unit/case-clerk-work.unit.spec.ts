import { expect } from 'chai';
import { authorize } from '../../domain/case/authorization.ts';
import { ForbiddenCommandError, WrongStateError } from '../../domain/case/errors.ts';
import type { Actor } from '../../domain/events/index.ts';
import { allowedCommandsFor } from '../../workflows/index.ts';
import { APPLICANT, JOINT, SINGLE, citizen, givenCase, history, singleCaseInReview, types, when } from '../support/case-fixtures.ts';

const staff = (id: string, department: string, roles: string[]): Actor => ({ kind: 'clerk', id, department, roles });
const ANNA = staff('anna', 'PSB', ['intake', 'reviewer']);
const BEN = staff('ben', 'PSB', ['intake', 'reviewer']);
const SUPERVISOR = staff('sue', 'PSB', ['approver']);
const submitted = () => givenCase(SINGLE, [history.drafted(SINGLE), history.submitted()]);

describe('clerk work: claim, release, assign within a department', () => {
  it('given a submitted case nobody holds, when a clerk claims it, then the department\'s part is theirs and claiming is no longer offered', () => {
    expect(allowedCommandsFor(submitted(), ANNA)).to.include('ClaimCase').and.not.include('ReleaseCase');
    const claimed = when(submitted(), { type: 'ClaimCase', actor: ANNA });
    expect(types(claimed)).to.deep.equal(['CaseClaimed']);
    expect(claimed.state.context.holders).to.deep.equal({ PSB: 'anna' });
    expect(claimed.state.status).to.equal('submitted');
    expect(allowedCommandsFor(claimed.state, ANNA)).to.include('ReleaseCase').and.not.include('ClaimCase');
    expect(allowedCommandsFor(claimed.state, BEN)).to.not.include.members(['ClaimCase', 'ReleaseCase']);
  });

  it('given a case another clerk holds, when claimed, then it is refused for the state (409)', () => {
    const held = when(submitted(), { type: 'ClaimCase', actor: ANNA }).state;
    expect(() => when(held, { type: 'ClaimCase', actor: BEN })).to.throw(WrongStateError);
  });

  it('given a held case, when another clerk releases it, then it is forbidden; the holder or a supervisor may', () => {
    const held = when(submitted(), { type: 'ClaimCase', actor: ANNA }).state;
    expect(() => when(held, { type: 'ReleaseCase', actor: BEN })).to.throw(ForbiddenCommandError, /held by another clerk/);
    expect(when(held, { type: 'ReleaseCase', actor: ANNA }).state.context.holders).to.deep.equal({});
    expect(types(when(held, { type: 'ReleaseCase', actor: SUPERVISOR }))).to.deep.equal(['CaseReleased']);
  });

  it('given a supervisor (approver), when assigning, then the case moves to the assignee; a clerk without the role may not assign', () => {
    const held = when(submitted(), { type: 'ClaimCase', actor: ANNA }).state;
    expect(() => authorize('AssignCase', BEN, SINGLE, APPLICANT)).to.throw(ForbiddenCommandError, /approver/);
    const assigned = when(held, { type: 'AssignCase', actor: SUPERVISOR, assignee: 'ben' });
    expect(assigned.events[0]!.data).to.deep.include({ department: 'PSB', clerkId: 'ben', assignedBy: 'sue' });
    expect(assigned.state.context.holders).to.deep.equal({ PSB: 'ben' });
  });

  it('given clerks of other departments and the applicant, then only clerks of the departments on the case may claim', () => {
    expect(() => authorize('ClaimCase', staff('x', 'HRSS', ['intake']), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError);
    expect(() => authorize('ClaimCase', citizen(), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError);
    expect(() => authorize('ClaimCase', staff('f', 'FIRE', ['reviewer']), JOINT, APPLICANT)).to.not.throw();
  });

  it('given a draft or a closed case, then there is nothing to claim', () => {
    const draft = givenCase(SINGLE, [history.drafted(SINGLE)]);
    expect(() => when(draft, { type: 'ClaimCase', actor: ANNA })).to.throw(WrongStateError);
    const closed = when(singleCaseInReview(), { type: 'DenyCase', actor: staff('sue', 'PSB', ['approver']), reasons: ['x'] }).state;
    expect(allowedCommandsFor(closed, ANNA)).to.not.include('ClaimCase');
    expect(() => when(closed, { type: 'ClaimCase', actor: ANNA })).to.throw(WrongStateError);
  });

  it('given a held case that moves on, then the holder stays with it through the lifecycle', () => {
    const held = when(submitted(), { type: 'ClaimCase', actor: ANNA }).state;
    const supplementRequested = when(held, { type: 'RequestSupplement', actor: ANNA, items: [{ materialId: 'photo', note: '' }] }).state;
    expect(supplementRequested.status).to.equal('awaitingSupplement');
    expect(supplementRequested.context.holders).to.deep.equal({ PSB: 'anna' });
  });
});
