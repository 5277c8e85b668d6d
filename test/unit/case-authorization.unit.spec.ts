import { expect } from 'chai';
import { authorize } from '../../domain/case/authorization.ts';
import { CASE_COMMAND_TYPES } from '../../domain/case/commands.ts';
import { ForbiddenCommandError } from '../../domain/case/errors.ts';
import { APPLICANT, JOINT, OTHER_CITIZEN, SINGLE, SYSTEM, citizen, clerk } from '../support/case-fixtures.ts';

describe('who may issue which command', () => {
  it('given another citizen, when they act on the case, then it is forbidden', () => {
    expect(() => authorize('WithdrawApplication', citizen(OTHER_CITIZEN), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError, /another applicant/);
  });

  it('given a clerk of another department, when they accept, then the responsible department is named', () => {
    expect(() => authorize('AcceptCase', clerk('TAX'), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError, /handled by PSB, not TAX/);
  });

  it('given a PSB clerk without the approver role, when they approve, then the missing role is named', () => {
    expect(() => authorize('ApproveCase', clerk('PSB', ['intake']), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError, /approver role/);
    expect(() => authorize('AcceptCase', clerk('PSB', ['intake']), SINGLE, APPLICANT)).to.not.throw();
  });

  it('given a co-reviewing department, when it gives an opinion, then it may; the lead department may not', () => {
    expect(() => authorize('GiveOpinion', clerk('FIRE', ['reviewer']), JOINT, APPLICANT)).to.not.throw();
    expect(() => authorize('GiveOpinion', clerk('AMR'), JOINT, APPLICANT)).to.throw(ForbiddenCommandError, /FIRE, HEALTH/);
  });

  it('given a citizen or clerk, when they record evidence or raise deadline cards, then only the platform may', () => {
    for (const command of ['RecordEvidence', 'RaiseDeadlineWarning', 'MarkOverdue', 'DeemAccepted'] as const) {
      expect(() => authorize(command, clerk('PSB'), SINGLE, APPLICANT)).to.throw(ForbiddenCommandError);
      expect(() => authorize(command, SYSTEM, SINGLE, APPLICANT)).to.not.throw();
    }
  });

  it('given every command, then exactly one kind of actor among applicant, lead clerk, co-reviewer and platform may issue it', () => {
    const actors = [citizen(), clerk('PSB'), clerk('FIRE', ['reviewer']), SYSTEM];
    // Clerk work (claim, release, assign) belongs to every department on the case: case-clerk-work.unit.spec.ts.
    for (const command of CASE_COMMAND_TYPES.filter((c) => !['ClaimCase', 'ReleaseCase', 'AssignCase'].includes(c))) {
      const allowed = actors.filter((actor) => {
        try {
          authorize(command, actor, { ...SINGLE, coReviewers: ['FIRE'] }, APPLICANT);
          return true;
        } catch {
          return false;
        }
      });
      expect(allowed, command).to.have.length(1);
    }
  });
});
