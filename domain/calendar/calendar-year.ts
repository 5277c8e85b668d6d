/**
 * One region's public-holiday arrangement for one year, as published (for CN by the State Council each autumn).
 * Arrangements change every year, so they are data files, never code.
 */
import type { LocalizedText } from '../catalogue/index.ts';
import type { Validated } from '../catalogue/index.ts';
import { at, expectArray, expectInteger, expectLocalized, expectObject, expectString, type Report } from '../catalogue/index.ts';
import { dayOfWeek, isLocalDate, plusCalendarDays, type LocalDate } from './local-date.ts';

export interface Holiday {
  name: LocalizedText;
  /** First and last day off, inclusive. */
  from: LocalDate;
  to: LocalDate;
  /** 调休: weekend days that are working days to make up for the holiday. */
  makeUpWorkingDays: LocalDate[];
}

export interface CalendarYear {
  /** e.g. "CN". */
  region: string;
  year: number;
  /** Where the arrangement was published, so a reviewer can check it. */
  source: string;
  holidays: Holiday[];
}

function expectDate(value: unknown, path: string, report: Report, year: number | undefined): LocalDate | undefined {
  if (value === undefined) return undefined;
  if (!isLocalDate(value)) {
    report(path, `must be a real date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    return undefined;
  }
  // A holiday can start in December of the year before (New Year) and make-up days can fall there too.
  const y = Number(value.slice(0, 4));
  if (year !== undefined && Math.abs(y - year) > 1) {
    report(path, `${value} is too far from ${year} for this year's arrangement`);
    return undefined;
  }
  return value;
}

export function validateCalendarYear(raw: unknown): Validated<CalendarYear> {
  const errors: string[] = [];
  const label =
    typeof raw === 'object' && raw !== null && 'region' in raw && 'year' in raw
      ? `calendar ${String((raw as { region: unknown }).region)}-${String((raw as { year: unknown }).year)}`
      : 'calendar';
  const report: Report = (path, message) => errors.push(`${label}: ${path} ${message}`);
  const doc = expectObject(raw, '', report, ['region', 'year', 'source', 'holidays']);
  if (!doc) return { ok: false, errors };
  expectString(doc.region, 'region', report, { pattern: /^[A-Z]{2}(-[A-Z0-9]+)?$/, patternName: 'a region code such as "CN"' });
  const year = expectInteger(doc.year, 'year', report, 1900, 9999);
  expectString(doc.source, 'source', report);

  const off = new Map<LocalDate, string>();
  const makeUp = new Map<LocalDate, string>();
  expectArray(doc.holidays, 'holidays', report)?.forEach((rawHoliday, i) => {
    const path = at('holidays', i);
    const holiday = expectObject(rawHoliday, path, report, ['name', 'from', 'to', 'makeUpWorkingDays']);
    if (!holiday) return;
    expectLocalized(holiday.name, at(path, 'name'), report);
    const from = expectDate(holiday.from, at(path, 'from'), report, year);
    const to = expectDate(holiday.to, at(path, 'to'), report, year);
    if (from && to) {
      if (to < from) report(at(path, 'to'), `${to} is before from ${from}`);
      for (let d = from; d <= to; d = plusCalendarDays(d, 1)) {
        if (off.has(d)) report(path, `${d} is already a day off in ${off.get(d)}`);
        off.set(d, path);
      }
    }
    expectArray(holiday.makeUpWorkingDays, at(path, 'makeUpWorkingDays'), report)?.forEach((rawDay, j) => {
      const dayPath = at(at(path, 'makeUpWorkingDays'), j);
      const day = expectDate(rawDay, dayPath, report, year);
      if (!day) return;
      const weekday = dayOfWeek(day);
      if (weekday !== 0 && weekday !== 6) report(dayPath, `${day} is a weekday: a make-up working day must be a Saturday or Sunday`);
      if (makeUp.has(day)) report(dayPath, `${day} is listed twice`);
      makeUp.set(day, dayPath);
    });
  });
  for (const [day, path] of makeUp) {
    if (off.has(day)) report(path, `${day} is both a day off (${off.get(day)}) and a make-up working day`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: raw as CalendarYear };
}
