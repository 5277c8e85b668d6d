export { createCalendar } from './calendar.ts';
export type { Calendar, CalendarOptions, DayKind } from './calendar.ts';
export { calendarDaysPeriodEnd, periodEnd } from './period-end.ts';
export { STATUTORY_RULE_YEARS, daysInLieu, statutoryDaysOff, statutoryHolidays } from './statutory-holidays.ts';
export { validateCalendarYear } from './calendar-year.ts';
export type { CalendarYear, Holiday } from './calendar-year.ts';
export {
  compareLocalDates,
  dayOfWeek,
  daysInMonth,
  fromDayNumber,
  isLeapYear,
  isLocalDate,
  parseLocalDate,
  plusCalendarDays,
  toDayNumber,
} from './local-date.ts';
export type { LocalDate } from './local-date.ts';
export { localDate } from './local-time.ts';
