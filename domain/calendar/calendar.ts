/**
 * Working-day arithmetic for time limits (Administrative Licensing Law arts. 42-45: "days" are working days; weekends
 * and statutory holidays are excluded, make-up working days are included).
 *
 * Counting rule everywhere: the day of the event itself is not counted (期间开始的日不计算在期间内), so a period of
 * n days starting on `from` ends on the n-th counted day after it, and "1 working day" from a Friday is the Monday.
 */
import type { CalendarYear, Holiday } from './calendar-year.ts';
import { STATUTORY_RULE_YEARS, statutoryDaysOff } from './statutory-holidays.ts';
import { dayOfWeek, fromDayNumber, isLocalDate, toDayNumber, type LocalDate } from './local-date.ts';
import type { LocalizedText } from '../catalogue/index.ts';

export type DayKind = 'working' | 'calendar';

export interface Calendar {
  readonly region: string;
  /** Years with a published arrangement, ascending. */
  readonly years: readonly number[];
  /** Names the data the calendar was built from (given by its loader), so a recomputed deadline can say which. */
  readonly version: string;
  isWorkingDay(date: LocalDate): boolean;
  /**
   * True when the date's year has no data file, so only weekends and the statutory holidays the regulation fixes,
   * with the days in lieu it grants for those on a weekend (for regions with such a rule: CN), count as non-working. A case accepted in December needs a due date in next
   * year before the State Council publishes next year's arrangement (usually in November); the answer is provisional
   * and is recomputed when the file arrives.
   */
  isProvisional(date: LocalDate): boolean;
  /** The holiday the date falls in, if any. */
  holidayOf(date: LocalDate): LocalizedText | undefined;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /**
   * The date n counted days after `from` (`from` not counted). For 'working' the result is always a working day;
   * n = 0 gives `from` itself when it is a working day, else the next working day. Negative n: see subtractDays.
   * For 'calendar' it is plain arithmetic and may land on a day off; the end of a time limit is periodEnd's.
   */
  addDays(from: LocalDate, n: number, kind: DayKind): LocalDate;
  /**
   * The latest date d with daysBetween(d, to, kind) = n; for 'working' d is a working day. Used for warning dates:
   * a yellow card 2 working days before a Wednesday due date shows on the Monday.
   */
  subtractDays(to: LocalDate, n: number, kind: DayKind): LocalDate;
  /** Counted days in (from, to]; negative when to < from. */
  daysBetween(from: LocalDate, to: LocalDate, kind: DayKind): number;
  /**
   * The due date moved by the counted days of a suspension (补正, hearing, expert review). The clock runs on the day
   * of suspension and restarts the day after resumption, like a new receipt: the shift is daysBetween(from, resumedOn).
   */
  shiftedDueDate(due: LocalDate, suspendedFrom: LocalDate, resumedOn: LocalDate, kind: DayKind): LocalDate;
}

function checkDate(date: LocalDate, name: string): number {
  if (!isLocalDate(date)) throw new RangeError(`${name} must be a real date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return toDayNumber(date);
}

function checkCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be an integer, got ${n}`);
}

function checkKind(kind: DayKind): void {
  if (kind !== 'working' && kind !== 'calendar') throw new RangeError(`day kind must be "working" or "calendar", got ${JSON.stringify(kind)}`);
}

/** Statutory holidays (with their days in lieu) by region, for years without a published arrangement. */
const STATUTORY: Record<string, { from: number; to: number; holidays: (year: number) => Holiday[] }> = {
  CN: { ...STATUTORY_RULE_YEARS, holidays: statutoryDaysOff },
};

export interface CalendarOptions {
  /** See Calendar.version; defaults to the region and its published years. */
  version?: string;
}

/** Builds the calendar of `region` from the arrangements of that region among `years` (others are ignored). */
export function createCalendar(region: string, years: readonly CalendarYear[], options: CalendarOptions = {}): Calendar {
  const own = years.filter((y) => y.region === region);
  const known = new Set<number>();
  const off = new Map<number, LocalizedText>();
  const makeUp = new Set<number>();
  for (const y of own) {
    if (known.has(y.year)) throw new RangeError(`calendar ${region}-${y.year} is given twice`);
    known.add(y.year);
    for (const h of y.holidays) {
      for (let d = toDayNumber(h.from); d <= toDayNumber(h.to); d += 1) off.set(d, h.name);
      for (const m of h.makeUpWorkingDays) makeUp.add(toDayNumber(m));
    }
  }

  // Years without a file get the statutory days, computed the first time a date of theirs is asked about.
  const rule = STATUTORY[region];
  const statutoryYears = new Set<number>();
  const statutoryOff = (day: number): LocalizedText | undefined => {
    const found = off.get(day);
    if (found || !rule) return found;
    const year = Number(fromDayNumber(day).slice(0, 4));
    if (known.has(year) || statutoryYears.has(year) || year < rule.from || year > rule.to) return undefined;
    statutoryYears.add(year);
    for (const h of rule.holidays(year)) {
      for (let d = toDayNumber(h.from); d <= toDayNumber(h.to); d += 1) if (!off.has(d)) off.set(d, h.name);
    }
    return off.get(day);
  };

  const working = (day: number): boolean => {
    if (makeUp.has(day)) return true;
    if (statutoryOff(day)) return false;
    const weekday = dayOfWeek(fromDayNumber(day));
    return weekday !== 0 && weekday !== 6;
  };

  const countWorking = (fromExclusive: number, toInclusive: number): number => {
    let count = 0;
    for (let d = fromExclusive + 1; d <= toInclusive; d += 1) if (working(d)) count += 1;
    return count;
  };

  const add = (from: number, n: number, kind: DayKind): number => {
    if (kind === 'calendar') return from + n;
    let d = from;
    if (n === 0) {
      while (!working(d)) d += 1;
      return d;
    }
    for (let counted = 0; counted < n; ) {
      d += 1;
      if (working(d)) counted += 1;
    }
    return d;
  };

  const subtract = (to: number, n: number, kind: DayKind): number => {
    if (kind === 'calendar') return to - n;
    let d = to;
    for (let counted = 0; counted < n; d -= 1) if (working(d)) counted += 1;
    // Stepping back over non-working days leaves the count in (d, to] unchanged and lands on a working day.
    while (!working(d)) d -= 1;
    return d;
  };

  const between = (from: number, to: number, kind: DayKind): number => {
    if (kind === 'calendar') return to - from;
    return to >= from ? countWorking(from, to) : -countWorking(to, from);
  };

  const calendar: Calendar = {
    region,
    years: [...known].sort((a, b) => a - b),
    version: options.version ?? `${region}:${[...known].sort((a, b) => a - b).join(',')}`,
    isWorkingDay: (date) => working(checkDate(date, 'date')),
    isProvisional: (date) => {
      checkDate(date, 'date');
      return !known.has(Number(date.slice(0, 4)));
    },
    holidayOf: (date) => statutoryOff(checkDate(date, 'date')),
    nextWorkingDay: (date) => fromDayNumber(add(checkDate(date, 'date'), 1, 'working')),
    addDays(from, n, kind) {
      const start = checkDate(from, 'from');
      checkCount(n, 'n');
      checkKind(kind);
      return fromDayNumber(n < 0 ? subtract(start, -n, kind) : add(start, n, kind));
    },
    subtractDays(to, n, kind) {
      const end = checkDate(to, 'to');
      checkCount(n, 'n');
      checkKind(kind);
      return fromDayNumber(n < 0 ? add(end, -n, kind) : subtract(end, n, kind));
    },
    daysBetween(from, to, kind) {
      checkKind(kind);
      return between(checkDate(from, 'from'), checkDate(to, 'to'), kind);
    },
    shiftedDueDate(due, suspendedFrom, resumedOn, kind) {
      const start = checkDate(suspendedFrom, 'suspendedFrom');
      const end = checkDate(resumedOn, 'resumedOn');
      checkKind(kind);
      if (end < start) throw new RangeError(`resumedOn ${resumedOn} is before suspendedFrom ${suspendedFrom}`);
      return fromDayNumber(add(checkDate(due, 'due'), between(start, end, kind), kind));
    },
  };
  return Object.freeze(calendar);
}
