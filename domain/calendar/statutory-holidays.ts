/**
 * The public holidays the national regulation fixes (全国年节及纪念日放假办法, as amended 2024, art. 2), and the days in
 * lieu it grants for them (art. 6), for years whose annual arrangement (the State Council's notice, a data file) is
 * not published yet. The lunar dates come from lunar-typescript, a maintained Chinese calendar (astronomical new
 * moons and solar terms), not from a table of ours.
 *
 * What the regulation fixes is only these days. The annual notice then moves days around them (调休: longer breaks,
 * make-up working weekends), which no rule predicts; so a year computed here is provisional, and deadlines in it are
 * recomputed when its file arrives.
 */
import { Lunar, Solar } from 'lunar-typescript';
import type { Holiday } from './calendar-year.ts';
import { dayOfWeek, fromDayNumber, plusCalendarDays, toDayNumber, type LocalDate } from './local-date.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (solar: Solar): LocalDate => `${solar.getYear()}-${pad(solar.getMonth())}-${pad(solar.getDay())}`;
const fixed = (year: number, month: number, day: number): LocalDate => `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
const lunar = (year: number, month: number, day: number): LocalDate => ymd(Lunar.fromYmd(year, month, day).getSolar());

function span(name: Holiday['name'], from: LocalDate, days: number): Holiday {
  return { name, from, to: plusCalendarDays(from, days - 1), makeUpWorkingDays: [] };
}

/** The Qingming solar term of a Gregorian year (always early April), from the jieqi table of that lunar year. */
function qingming(year: number): LocalDate {
  const solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明'];
  if (!solar) throw new RangeError(`no Qingming solar term found for ${year}`);
  return ymd(solar);
}

/** The years the rules below hold for: the 2024 amendment (eve and Labour Day's second day) applies from 2025. */
export const STATUTORY_RULE_YEARS = { from: 2025, to: 2099 } as const;

/**
 * The statutory holidays of a Gregorian year, in date order: 13 days (Mid-Autumn can fall within National Day). The Spring Festival is the eve of the lunar new
 * year (the last day of the twelfth month, 29th or 30th) and the first three days of the first month.
 */
export function statutoryHolidays(year: number): Holiday[] {
  const { from, to } = STATUTORY_RULE_YEARS;
  if (!Number.isSafeInteger(year) || year < from || year > to) {
    throw new RangeError(`statutory holidays are computed for ${from}-${to}, got ${year}`);
  }
  const newYear = lunar(year, 1, 1);
  return [
    span({ 'zh-CN': '元旦', en: "New Year's Day" }, fixed(year, 1, 1), 1),
    span({ 'zh-CN': '春节', en: 'Spring Festival' }, plusCalendarDays(newYear, -1), 4),
    span({ 'zh-CN': '清明节', en: 'Qingming Festival' }, qingming(year), 1),
    span({ 'zh-CN': '劳动节', en: 'Labour Day' }, fixed(year, 5, 1), 2),
    span({ 'zh-CN': '端午节', en: 'Dragon Boat Festival' }, lunar(year, 5, 5), 1),
    span({ 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' }, lunar(year, 8, 15), 1),
    span({ 'zh-CN': '国庆节', en: 'National Day' }, fixed(year, 10, 1), 3),
  ];
}

const isWeekend = (day: number) => {
  const weekday = dayOfWeek(fromDayNumber(day));
  return weekday === 0 || weekday === 6;
};

/**
 * Art. 6: a day of a holiday for all citizens that falls on a Saturday or Sunday is made up (补假) on a working day.
 * The notices put it on the first weekday after that day not already off: New Year's Day 2022 on a Saturday gave
 * Monday Jan 3, Qingming 2026 on a Sunday gave Monday Apr 6. Every holiday is owed its days, so a day two holidays
 * share (Mid-Autumn within National Day) is made up too, as the notices of 2009 and 2020 did. Which weekday the notice
 * will choose is still its call: like the rest of a computed year, these days are provisional.
 */
export function daysInLieu(holidays: readonly Holiday[]): Holiday[] {
  const off = new Set<number>();
  const owed: Array<{ day: number; name: Holiday['name'] }> = [];
  for (const h of holidays) {
    for (let d = toDayNumber(h.from); d <= toDayNumber(h.to); d += 1) {
      if (isWeekend(d) || off.has(d)) owed.push({ day: d, name: h.name });
      off.add(d);
    }
  }
  // In date order, so an earlier holiday's day in lieu comes first, and no later one can take a day already off.
  owed.sort((a, b) => a.day - b.day);
  return owed.map(({ day, name }) => {
    let d = day + 1;
    while (isWeekend(d) || off.has(d)) d += 1;
    off.add(d);
    return span({ 'zh-CN': `${name['zh-CN']}（补假）`, en: `${name.en} (day in lieu)` }, fromDayNumber(d), 1);
  });
}

/** Every day off the regulation gives in a year: the statutory holidays and their days in lieu, in date order. */
export function statutoryDaysOff(year: number): Holiday[] {
  const holidays = statutoryHolidays(year);
  return [...holidays, ...daysInLieu(holidays)].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
