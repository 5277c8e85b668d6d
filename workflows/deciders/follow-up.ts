import type { CommandOf } from '../../domain/case/commands.ts';
import type { CaseEvent, CaseEventMap } from '../../domain/case/events.ts';
import { isSettled, openFollowUps, type CaseContext } from '../case-context.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { followUpDueOn } from './time-limits.ts';

/** Non-key materials not in and not already owed: what a FollowUpRequired would list now. */
export function unownedMissingNonKey(context: CaseContext, only?: (materialId: string) => boolean): string[] {
  return Object.values(context.materials)
    .filter((m) => !m.key && !isSettled(m) && m.status !== 'fetching' && m.status !== 'to_fetch' && m.status !== 'awaiting_preview')
    .filter((m) => context.followUps[m.id] === undefined && (only ? only(m.id) : true))
    .map((m) => m.id);
}

/** Why a department could not supply an item (EvidenceUnavailable), as opposed to the applicant's own choices. */
const DEPARTMENT_REASONS: ReadonlySet<string> = new Set<CaseEventMap['EvidenceUnavailable']['reason']>(['no_match', 'not_yet_available', 'provider_down', 'refused']);

/**
 * Non-key evidence its department could not supply and nobody owes yet: what a department's answer during a
 * suspension left unowned (the applicant could not upload then), owed once the case resumes.
 */
export function unownedUnavailableNonKey(context: CaseContext): string[] {
  return unownedMissingNonKey(context, (id) => {
    const material = context.materials[id]!;
    return material.kind === 'evidence' && material.status === 'upload_required' && DEPARTMENT_REASONS.has(material.unavailableReason ?? '');
  });
}

/**
 * 容缺受理: a case may go ahead without a non-key material, but the material is still owed. The obligation is a fact
 * of the case (who owes what by when) so the applicant sees it, the clerk's queue shows it, reminders fire on it and
 * an auditor finds it unmet; without it the case would close with the material silently missing.
 */
export function followUpRequired(materialIds: string[], env: DecideEnvironment): CaseEvent[] {
  if (!materialIds.length) return [];
  const dueOn = followUpDueOn(env, env.today);
  return [{ type: 'FollowUpRequired', data: { items: materialIds.map((materialId) => ({ materialId, dueOn })), recordedOn: env.today } }];
}

/** Whether a case with a certificate may close now: the commitment verified (if any) and nothing owed. */
export function closableAfter(context: CaseContext, env: DecideEnvironment, stillOwed: string[] = openFollowUps(context)): boolean {
  const awaitingVerification = context.commitment && env.definition.commitment !== undefined && !context.commitmentVerified;
  return !awaitingVerification && stillOwed.length === 0;
}

/** An upload that meets an obligation records it, and closes a certified case once nothing else is owed. */
export function followUpMetBy(materialId: string, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const { context } = state;
  if (context.followUps[materialId]?.providedOn !== null || context.followUps[materialId] === undefined) return [];
  const events: CaseEvent[] = [{ type: 'FollowUpProvided', data: { materialId, providedOn: env.today } }];
  const stillOwed = openFollowUps(context).filter((id) => id !== materialId);
  if (state.status === 'certificateIssued' && closableAfter(context, env, stillOwed)) {
    events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  }
  return events;
}

/**
 * A reminder timer: yellow before the due date, red after it; stale or repeated timers record nothing. Nor does one
 * firing while the case is suspended: the applicant may not upload then, and resumption moves the due date (resumeCase).
 */
export function remindFollowUp(command: CommandOf<'RemindFollowUp'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const followUp = state.context.followUps[command.materialId];
  if (!followUp || followUp.providedOn !== null || followUp.dueOn !== command.dueOn || state.context.closedOn !== null) return [];
  if (state.status === 'suspended') return [];
  if (followUp.reminders.includes(command.level)) return [];
  if (command.level === 'red' && env.today <= command.dueOn) return [];
  return [{ type: 'FollowUpReminderRaised', data: { materialId: command.materialId, dueOn: command.dueOn, level: command.level, raisedOn: env.today } }];
}
