import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { vetoes } from '../case-context.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';

/**
 * Joint review with vetoes: a binding co-reviewer said "deny", so the lead cannot approve. Instead of denying it
 * may send the case back: the applicant uploads what the notice lists, then the vetoing departments give a revised
 * opinion. The machine allows this only while a veto stands.
 */
export function requestRevision(command: CommandOf<'RequestRevision'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const problems: string[] = [];
  if (!command.items.length) problems.push('list the materials the applicant must supply for the revised opinion; the list is empty');
  const seen = new Set<string>();
  for (const item of command.items) {
    const material = env.definition.materials.find((m) => m.id === item.materialId);
    if (!material) problems.push(`material "${item.materialId}" is not part of this service`);
    else if (material.kind !== 'upload') problems.push(`material "${item.materialId}" is fetched, not uploaded by the applicant`);
    if (seen.has(item.materialId)) problems.push(`material "${item.materialId}" is listed twice`);
    seen.add(item.materialId);
  }
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  return [{ type: 'RevisionRequested', data: { departments: vetoes(state.context), items: command.items.map((i) => ({ materialId: i.materialId, note: i.note ?? '' })), requestedOn: env.today } }];
}

export function provideRevisionSupplement(command: CommandOf<'ProvideRevisionSupplement'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const revision = state.context.jointReview?.revision;
  if (!revision) throw new InvalidCommandError(command.type, ['no revision is waiting for materials']);
  const missing = revision.items.filter((id) => !revision.uploaded.includes(id));
  if (missing.length) throw new InvalidCommandError(command.type, missing.map((id) => `material "${id}" has not been uploaded since the case was sent back`));
  return [{ type: 'RevisionSupplementProvided', data: { departments: revision.departments, materialIds: revision.items, providedOn: env.today } }];
}
