import type { CommandOf } from '../../domain/case/commands.ts';
import { ForbiddenCommandError, InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';

/**
 * Clerk work within a department. Each department on a case (the lead, each co-reviewer) has its own holder: the
 * clerk who claimed its part or was assigned it. Authorization has already placed the actor in one of them.
 */
const departmentOf = (command: { actor: { department?: string } }): string => command.actor.department ?? '';

export function claimCase(command: CommandOf<'ClaimCase'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  return [{ type: 'CaseClaimed', data: { department: departmentOf(command), clerkId: command.actor.id, claimedOn: env.today } }];
}

/** A clerk lets go of what they hold; a supervisor (approver) may release someone else's hold, e.g. when they are away. */
export function releaseCase(command: CommandOf<'ReleaseCase'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const department = departmentOf(command);
  const holder = state.context.holders?.[department];
  if (holder === undefined) throw new InvalidCommandError(command.type, [`nobody in ${department} holds this case`]);
  if (holder !== command.actor.id && !(command.actor.roles ?? []).includes('approver')) {
    throw new ForbiddenCommandError(command.type, `the case is held by another clerk; only they or an approver of ${department} may release it`);
  }
  return [{ type: 'CaseReleased', data: { department, clerkId: holder, releasedOn: env.today } }];
}

export function assignCase(command: CommandOf<'AssignCase'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const assignee = command.assignee.trim();
  if (!assignee) throw new InvalidCommandError(command.type, ['assignee must be a clerk\'s staff id']);
  return [{ type: 'CaseAssigned', data: { department: departmentOf(command), clerkId: assignee, assignedBy: command.actor.id, assignedOn: env.today } }];
}
