import { authorize } from '../domain/case/authorization.ts';
import type { CaseCommandType } from '../domain/case/commands.ts';
import type { Actor } from '../domain/events/index.ts';
import type { CaseState } from './case-state.ts';
import { allowedCommands } from './decide.ts';

/**
 * What this actor may issue now: the commands the case takes next that the domain's authorization lets through, as
 * it will decide when the command comes. What pages offer as buttons, and what command results tell the caller.
 */
export function allowedCommandsFor(state: CaseState, actor: Actor): CaseCommandType[] {
  return allowedCommands(state).filter((command) => {
    try {
      authorize(command, actor, state.definition, state.context.applicant?.id ?? null);
      return true;
    } catch {
      return false;
    }
  });
}
