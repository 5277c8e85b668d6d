import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent, RecalculatedLimit } from '../../domain/case/events.ts';
import type { CaseState } from '../case-state.ts';
import { CLOCK_RUNNING, type CaseStatus } from '../case-status.ts';
import { certificateFor } from './completion.ts';
import { closableAfter, followUpRequired, unownedMissingNonKey, unownedUnavailableNonKey } from './follow-up.ts';
import { dayKind, type DecideEnvironment } from './environment.ts';
import { decisionDaysAdded, decisionDueOn, followUpAfterSuspension } from './time-limits.ts';
import { feeOnApproval } from './fees.ts';

function requireText(command: string, field: string, value: string): string {
  if (!value.trim()) throw new InvalidCommandError(command, [`${field} must not be empty`]);
  return value.trim();
}

export function startJointReview(_command: CommandOf<'StartJointReview'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const advisory = (env.definition.advisoryCoReviewers ?? []).filter((d) => state.context.coReviewers.includes(d));
  return [{ type: 'JointReviewStarted', data: { departments: state.context.coReviewers, startedOn: env.today, advisory } }];
}

export function giveOpinion(command: CommandOf<'GiveOpinion'>, _state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  return [{ type: 'OpinionGiven', data: { department: command.actor.department ?? '', opinion: command.opinion, comment: command.comment } }];
}

export function extendDeadline(command: CommandOf<'ExtendDeadline'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const reason = requireText(command.type, 'reason (told to the applicant)', command.reason);
  const left = state.context.extensionDaysAllowed - state.context.extensionDaysUsed;
  if (!Number.isInteger(command.days) || command.days < 1 || command.days > left) {
    throw new InvalidCommandError(command.type, [`days must be a whole number from 1 to ${left} (extension budget left), got ${command.days}`]);
  }
  const due = state.context.due;
  if (!due) throw new InvalidCommandError(command.type, ['the case has no running deadline']);
  // Art. 42: an extension is decided within the period it extends; once it ran out, the case is overdue, and
  // extending it then would only clear the overdue card.
  if (env.today > due.statutory) throw new InvalidCommandError(command.type, [`the statutory limit ended on ${due.statutory}; an extension is decided within it (art. 42)`]);
  const kind = dayKind(env);
  const extended = movedDue(state, env, due, command.days, (date) => env.calendar.addDays(date, command.days, kind));
  return [{ type: 'DeadlineExtended', data: { days: command.days, reason, due: extended } }];
}

/**
 * The decision's limits moved by `days` more (an extension, a suspension's counted days). A calendar-day end may have
 * been moved off a day off, and the period, not that end, is what is extended: it is counted again from acceptance
 * (decisionDueOn). A working-day end is a working day, so `fromRecorded` counts on from the dates recorded, as before.
 */
type Due = { statutory: string; promised: string };
function movedDue(state: CaseState, env: DecideEnvironment, due: Due, days: number, fromRecorded: (date: string) => string): Due {
  const { acceptedOn } = state.context;
  if (dayKind(env) === 'calendar' && acceptedOn) return decisionDueOn(env, acceptedOn, decisionDaysAdded(env, state.context) + days);
  return { statutory: fromRecorded(due.statutory), promised: fromRecorded(due.promised) };
}

export function suspendCase(command: CommandOf<'SuspendCase'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const reason = requireText(command.type, 'reason', command.reason);
  return [{ type: 'CaseSuspended', data: { kind: command.kind, reason, suspendedOn: env.today } }];
}

/**
 * Hearings, testing, inspection and expert review do not count: the due dates move by the days spent suspended, and
 * so do the 容缺 follow-ups owed through the suspension, since the applicant could not upload meanwhile.
 * Department answers recorded during the suspension take effect now: a non-key item one could not supply is owed
 * from today, and (ResumeCase may settle, decide.ts) gathering completes if they brought in the last material.
 */
export function resumeCase(command: CommandOf<'ResumeCase'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const { due, suspension } = state.context;
  if (!due || !suspension) throw new InvalidCommandError(command.type, ['the case is not suspended']);
  const kind = dayKind(env);
  const suspended = env.calendar.daysBetween(suspension.since, env.today, kind);
  const shift = (date: string) => env.calendar.shiftedDueDate(date, suspension.since, env.today, kind);
  const period = { since: suspension.since, resumedOn: env.today };
  const followUps: RecalculatedLimit[] = Object.entries(state.context.followUps).flatMap(([materialId, owed]) => {
    if (owed.providedOn !== null) return [];
    const dueOn = followUpAfterSuspension(env, owed.since, owed.dueOn, period);
    return dueOn === owed.dueOn ? [] : [{ limit: 'followUp' as const, materialId, from: owed.since, previous: owed.dueOn, dueOn }];
  });
  return [
    { type: 'CaseResumed', data: { resumedOn: env.today, due: movedDue(state, env, due, suspended, shift) } },
    ...(followUps.length
      ? [{ type: 'TimeLimitsRecalculated' as const, data: { calendarVersion: env.calendar.version, recalculatedOn: env.today, limits: followUps, suspendedOn: suspension.since } }]
      : []),
    ...followUpRequired(unownedUnavailableNonKey(state.context), env),
  ];
}

/**
 * A timer firing for a due date that has since moved (extension, suspension), or while the clock is stopped, is stale
 * and records nothing.
 */
function currentDue(state: CaseState, limit: 'promised' | 'statutory', dueOn: string): boolean {
  return CLOCK_RUNNING.has(state.status as CaseStatus) && state.context.due?.[limit] === dueOn;
}

export function raiseDeadlineWarning(command: CommandOf<'RaiseDeadlineWarning'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  if (!currentDue(state, command.limit, command.dueOn)) return [];
  if (state.context.cards.includes(`${command.limit}:${command.dueOn}:yellow`)) return [];
  return [{ type: 'DeadlineWarningRaised', data: { limit: command.limit, dueOn: command.dueOn, raisedOn: env.today } }];
}

export function markOverdue(command: CommandOf<'MarkOverdue'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  if (!currentDue(state, command.limit, command.dueOn) || env.today <= command.dueOn) return [];
  if (state.context.cards.includes(`${command.limit}:${command.dueOn}:red`)) return [];
  return [{ type: 'DeadlineOverdue', data: { limit: command.limit, dueOn: command.dueOn, raisedOn: env.today } }];
}

export function approveCase(command: CommandOf<'ApproveCase'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  return [
    { type: 'CaseApproved', data: { decidedOn: env.today, by: 'clerk', reasons: command.reasons ?? [] } },
    ...followUpRequired(unownedMissingNonKey(state.context), env),
    ...feeOnApproval(state.context, env),
  ];
}

export function denyCase(command: CommandOf<'DenyCase'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const reasons = command.reasons.map((r) => r.trim()).filter(Boolean);
  if (!reasons.length) throw new InvalidCommandError(command.type, ['a denial states its reasons']);
  return [
    { type: 'CaseDenied', data: { decidedOn: env.today, reasons } },
    { type: 'CaseClosed', data: { closedOn: env.today } },
  ];
}

export function issueCertificate(_command: CommandOf<'IssueCertificate'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const events = [certificateFor(state.context, env)];
  if (closableAfter(state.context, env)) events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  return events;
}

export function verifyCommitment(_command: CommandOf<'VerifyCommitment'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const events: CaseEvent[] = [{ type: 'CommitmentVerified', data: { verifiedOn: env.today } }];
  if (state.context.certificate && closableAfter({ ...state.context, commitmentVerified: true }, env)) events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  return events;
}

export function revokeApproval(command: CommandOf<'RevokeApproval'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  return [{ type: 'ApprovalRevoked', data: { reason: requireText(command.type, 'reason', command.reason), revokedOn: env.today } }];
}
