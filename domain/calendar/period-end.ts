/**
 * The last day of a time limit of n days starting on `from` (`from` not counted).
 *
 * Working days: Calendar.addDays, always a working day. Calendar days: the n-th day after `from`, except that a period
 * whose last day is a day off ends on the first working day after it (Civil Procedure Law art. 85, which the
 * Administrative Reconsideration Law's art. 88 applies to its own periods): the applicant's 60 days to ask, the
 * reviewing body's 60 to decide and the applicant's days to supplement all end the same way. Only the end moves: a
 * period extended or suspended is counted whole from its start and its new end moved once, never an end already
 * moved counted on from, so recomputing a limit from its start gives back the date set.
 */
import type { Calendar, DayKind } from './calendar.ts';
import { plusCalendarDays, type LocalDate } from './local-date.ts';

/** The end of a period of n calendar days from `from`, moved off a day off. */
export function calendarDaysPeriodEnd(from: LocalDate, n: number, calendar: Pick<Calendar, 'isWorkingDay'>): LocalDate {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a period lasts a whole number of days, got ${n}`);
  let end = plusCalendarDays(from, n);
  while (!calendar.isWorkingDay(end)) end = plusCalendarDays(end, 1);
  return end;
}

/** The end of a time limit of n days of `kind` from `from`: what every limit a case records is set to. */
export function periodEnd(calendar: Pick<Calendar, 'isWorkingDay' | 'addDays'>, from: LocalDate, n: number, kind: DayKind): LocalDate {
  return kind === 'calendar' ? calendarDaysPeriodEnd(from, n, calendar) : calendar.addDays(from, n, kind);
}
