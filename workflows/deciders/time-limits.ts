import { COMPLAINT_RESPONSE_DAYS } from '../../domain/appeals/reconsideration.ts';
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
  return env.calendar.addDays(requestedOn, env.definition.limits.supplementDays, dayKind(env));
}

/** 容缺: the service's follow-up period, else its supplement period, in working days. */
export function followUpDueOn(env: DecideEnvironment, recordedOn: string): string {
  const days = env.definition.limits.followUpDays ?? env.definition.limits.supplementDays;
  return env.calendar.addDays(recordedOn, days, 'working');
}

export function complaintDueOn(env: DecideEnvironment, openedOn: string): string {
  return env.calendar.addDays(openedOn, COMPLAINT_RESPONSE_DAYS, 'working');
}
