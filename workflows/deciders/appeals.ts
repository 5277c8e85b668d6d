import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { isReconsiderationService, LOW_RATING, RECONSIDERATION_BASIS, REVIEWING_BODY, reconsiderationDeadline } from '../../domain/appeals/reconsideration.ts';
import type { Calendar } from '../../domain/calendar/index.ts';
import { contestedDecision, type CaseContext } from '../case-context.ts';
import type { CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { complaintDueOn } from './time-limits.ts';

const holdIdFor = (appealCaseId: string) => `reconsideration-${appealCaseId}`;

/**
 * The last day the case's denial or refusal to accept may be contested, or null when there is none. The request
 * is refused after it, and the applicant's page shows it: one count, so the page never names another day.
 */
export function reconsiderableUntil(context: CaseContext, calendar: Pick<Calendar, 'isWorkingDay'>): string | null {
  const decidedOn = contestedDecision(context);
  return decidedOn ? reconsiderationDeadline(decidedOn, calendar) : null;
}

/**
 * 行政复议 within 60 days of the decision: the request, and a legal hold on the case's records for as long as the
 * reviewing body has it. Grounds are the applicant's free text and stay on the linked case, not in these events.
 */
export function requestReconsideration(command: CommandOf<'RequestReconsideration'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  // A reconsideration's own decision is final for reconsideration (the remedy is a lawsuit): it is not reconsidered.
  if (isReconsiderationService(state.context.serviceId)) throw new InvalidCommandError(command.type, ['a reconsideration decision is final for reconsideration; it is challenged in court, not reconsidered again']);
  const decidedOn = contestedDecision(state.context);
  const problems: string[] = [];
  if (!command.grounds?.trim()) problems.push('grounds must say why the decision should be reconsidered');
  if (!/^[0-9a-f-]{36}$/.test(command.appealCaseId ?? '')) problems.push('appealCaseId must be a case id');
  const deadline = reconsiderableUntil(state.context, env.calendar);
  if (deadline && env.today > deadline) problems.push(`the ${60}-day period for reconsideration of the decision of ${decidedOn} ended on ${deadline}`);
  if (problems.length || !decidedOn || !deadline) throw new InvalidCommandError(command.type, problems.length ? problems : ['there is no denial or refusal to reconsider']);
  return [
    { type: 'ReconsiderationRequested', data: { appealCaseId: command.appealCaseId, reviewingBody: REVIEWING_BODY, requestedOn: env.today, decidedOn, deadline } },
    { type: 'LegalHoldPlaced', data: { holdId: holdIdFor(command.appealCaseId), reason: `administrative reconsideration ${command.appealCaseId}`, basis: RECONSIDERATION_BASIS, placedBy: command.actor.id } },
  ];
}

/** The linked case was decided: the outcome on this case, and the hold lifted. A repeat records nothing. */
export function recordReconsiderationOutcome(command: CommandOf<'RecordReconsiderationOutcome'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  const pending = state.context.reconsideration;
  if (!pending || pending.appealCaseId !== command.appealCaseId || pending.outcome !== null) return [];
  const holdId = holdIdFor(command.appealCaseId);
  const hold = state.context.holds?.[holdId];
  const events: CaseEvent[] = [
    { type: 'ReconsiderationDecided', data: { appealCaseId: command.appealCaseId, outcome: command.outcome === 'approved' ? 'overturned' : command.outcome === 'denied' ? 'upheld' : command.outcome, decidedOn: command.decidedOn } },
  ];
  if (hold) events.push({ type: 'LegalHoldLifted', data: { ...hold, reason: `administrative reconsideration ${command.appealCaseId} decided` } });
  return events;
}

/** 好差评: a low rating opens a follow-up for the lead department, due in COMPLAINT_RESPONSE_DAYS working days. */
export function complaintAfterRating(score: number, env: DecideEnvironment): CaseEvent[] {
  if (score > LOW_RATING) return [];
  return [{ type: 'ComplaintOpened', data: { score, openedOn: env.today, dueOn: complaintDueOn(env, env.today) } }];
}

export function answerComplaint(command: CommandOf<'AnswerComplaint'>, _state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const response = command.response?.trim();
  if (!response) throw new InvalidCommandError(command.type, ['the answer to the applicant must not be empty']);
  return [{ type: 'ComplaintAnswered', data: { department: env.definition.department, response, respondedOn: env.today } }];
}

export function markComplaintOverdue(command: CommandOf<'MarkComplaintOverdue'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const complaint = state.context.complaint;
  if (!complaint || complaint.answeredOn !== null || complaint.overdue || complaint.dueOn !== command.dueOn || env.today <= command.dueOn) return [];
  return [{ type: 'ComplaintOverdue', data: { dueOn: command.dueOn, raisedOn: env.today } }];
}
