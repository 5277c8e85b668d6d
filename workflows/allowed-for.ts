import type { CaseCommandType } from '../domain/case/commands.ts';
import type { Actor } from '../domain/events/index.ts';
import type { CaseState } from './case-state.ts';
import { allowedCommands } from './decide.ts';

/**
 * What this actor may issue now: the commands the case takes next that the domain's authorization lets through, as
 * it will decide when the command comes. What pages offer as buttons, what command results and 409 problems tell
 * the caller. The one place that says who may do what next; `allowedCommands(state, actor)` does the work.
 */
export function allowedCommandsFor(state: CaseState, actor: Actor): CaseCommandType[] {
  return allowedCommands(state, actor);
}
