import type { CommandOf } from '../../domain/case/commands.ts';
import type { CaseEvent, RecalculatedLimit } from '../../domain/case/events.ts';
import { eventsHandledNow, type CaseState } from '../case-state.ts';
import type { DecideEnvironment } from './environment.ts';
import { complaintDueOn, decisionDaysAdded, decisionDueOn, followUpDueOn, intakeDueOn, supplementDueOn } from './time-limits.ts';

/**
 * Every running time limit of the case as the calendar now loaded gives it, each from the day it started. A due date
 * set while its year had no published arrangement was provisional; when the arrangement arrives this recomputes it,
 * and records an event only when a date moved: DeadlinesRecalculated for the decision's limits, TimeLimitsRecalculated
 * for the others. The case-jobs reactor then arms the timers for the new dates (their ids name the date); a timer
 * for an old date finds it stale.
 */
export function recalculateDeadlines(command: CommandOf<'RecalculateDeadlines'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const events: CaseEvent[] = [...decisionLimits(command, state, env)];
  const limits = otherLimits(state, env);
  if (limits.length) events.push({ type: 'TimeLimitsRecalculated', data: { calendarVersion: command.calendarVersion, recalculatedOn: env.today, limits } });
  return events;
}

/**
 * The statutory and promised limits: from acceptance, the service's limits plus the extension days granted, each
 * ended suspension's counted days added back (as resumeCase did). Only while the decision is pending: once decided
 * they are history, and the machine takes no DeadlinesRecalculated.
 */
function decisionLimits(command: CommandOf<'RecalculateDeadlines'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const { acceptedOn, due } = state.context;
  if (!acceptedOn || !due || !eventsHandledNow(state).has('DeadlinesRecalculated')) return [];
  const next = decisionDueOn(env, acceptedOn, decisionDaysAdded(env, state.context));
  if (next.statutory === due.statutory && next.promised === due.promised) return [];
  return [{ type: 'DeadlinesRecalculated', data: { calendarVersion: command.calendarVersion, recalculatedOn: env.today, previous: due, due: next } }];
}

/**
 * The limits that run beside or before the decision's: intake (while the application waits for it), the supplement
 * period (while the applicant is asked), each 容缺 material still owed by an open case (the days of the suspensions it
 * ran through added back, as resumeCase did), and the answer to a low rating not yet answered or marked overdue (an
 * overdue mark is final for that complaint). Only those that moved.
 */
function otherLimits(state: CaseState, env: DecideEnvironment): RecalculatedLimit[] {
  const { context, status } = state;
  const limits: RecalculatedLimit[] = [];
  const check = (limit: RecalculatedLimit['limit'], from: string, previous: string, dueOn: string, materialId?: string) => {
    if (dueOn !== previous) limits.push({ limit, ...(materialId === undefined ? {} : { materialId }), from, previous, dueOn });
  };
  if (status === 'submitted' && context.intakeDueOn && context.receivedOn) {
    check('intake', context.receivedOn, context.intakeDueOn, intakeDueOn(env, context.receivedOn));
  }
  const { supplement } = context;
  if (status === 'awaitingSupplement' && supplement.dueOn && supplement.requestedOn) {
    check('supplement', supplement.requestedOn, supplement.dueOn, supplementDueOn(env, supplement.requestedOn));
  }
  if (context.closedOn === null) {
    for (const [materialId, owed] of Object.entries(context.followUps)) {
      if (owed.providedOn === null) check('followUp', owed.since, owed.dueOn, followUpDueOn(env, owed.since, context.suspendedPeriods), materialId);
    }
  }
  const { complaint } = context;
  if (complaint && complaint.answeredOn === null && !complaint.overdue) {
    check('complaint', complaint.openedOn, complaint.dueOn, complaintDueOn(env, complaint.openedOn));
  }
  return limits;
}
