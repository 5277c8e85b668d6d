import { COMPLAINT_RESPONSE_DAYS } from '../../domain/appeals/reconsideration.ts';
import { periodEnd } from '../../domain/calendar/index.ts';
import type { CaseContext } from '../case-context.ts';
import { dayKind, type DecideEnvironment } from './environment.ts';

/**
 * Each time limit of a case as a function of the day it starts. The deciders that set a limit and the recalculation
 * under a newer calendar both call these, so recomputing with the calendar a date was set with gives that date back
 * (nothing is recorded) and only a changed calendar moves it.
 */

/** Administrative Licensing Law art. 32: no answer within 5 days of receipt and the application counts as accepted. */
export const INTAKE_DAYS = 5;

export function intakeDueOn(env: DecideEnvironment, receivedOn: string): string {
  return env.calendar.addDays(receivedOn, INTAKE_DAYS, 'working');
}

export function supplementDueOn(env: DecideEnvironment, requestedOn: string): string {
  return periodEnd(env.calendar, requestedOn, env.definition.limits.supplementDays, dayKind(env));
}

/**
 * The decision's statutory and promised limits, from acceptance: the service's days and `addedDays` more (extension
 * days granted, the counted days of ended suspensions). Counted whole from acceptance, so a calendar-day end moved
 * off a day off is never counted on from when the limit is extended or suspended (the period is, art. 85).
 */
export function decisionDueOn(env: DecideEnvironment, acceptedOn: string, addedDays: number): { statutory: string; promised: string } {
  const { statutoryDays, promisedDays } = env.definition.limits;
  const end = (days: number) => periodEnd(env.calendar, acceptedOn, days + addedDays, dayKind(env));
  return { statutory: end(statutoryDays), promised: end(promisedDays) };
}

/** The days the decision's limits have been moved by so far: extensions granted and ended suspensions' counted days. */
export function decisionDaysAdded(env: DecideEnvironment, context: Pick<CaseContext, 'extensionDaysUsed' | 'suspendedPeriods'>): number {
  const kind = dayKind(env);
  return (context.suspendedPeriods ?? []).reduce((sum, p) => sum + env.calendar.daysBetween(p.since, p.resumedOn, kind), context.extensionDaysUsed);
}

/** A suspension that has ended: from the day it began to the day the case resumed. */
export interface SuspendedPeriod {
  since: string;
  resumedOn: string;
}

/**
 * 容缺: the service's follow-up period, else its supplement period, in working days from the day the obligation was
 * recorded, with the days of each suspension since added back as resumption added them (followUpAfterSuspension).
 */
export function followUpDueOn(env: DecideEnvironment, recordedOn: string, suspended: readonly SuspendedPeriod[] = []): string {
  const days = env.definition.limits.followUpDays ?? env.definition.limits.supplementDays;
  return suspended.reduce((dueOn, period) => followUpAfterSuspension(env, recordedOn, dueOn, period), env.calendar.addDays(recordedOn, days, 'working'));
}

/**
 * A follow-up's due date once a suspension ended. The applicant may not upload while the case is suspended, so a
 * follow-up still running when the suspension began moves by its counted days, as the decision's limits do; one
 * recorded after it began (on resumption), or already past its date when it began, is not moved.
 */
export function followUpAfterSuspension(env: DecideEnvironment, recordedOn: string, dueOn: string, period: SuspendedPeriod): string {
  if (period.since < recordedOn || period.since > dueOn) return dueOn;
  return env.calendar.shiftedDueDate(dueOn, period.since, period.resumedOn, 'working');
}

export function complaintDueOn(env: DecideEnvironment, openedOn: string): string {
  return env.calendar.addDays(openedOn, COMPLAINT_RESPONSE_DAYS, 'working');
}
