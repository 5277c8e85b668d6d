import { expect } from 'chai';
import { loadCalendarYears } from '../../adapters/files/index.ts';
import { createCalendar, localDate, validateCalendarYear, type CalendarYear } from '../../domain/calendar/index.ts';

function year(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region: 'CN',
    year: 2026,
    source: 'test',
    holidays: [{ name: { 'zh-CN': '劳动节', en: 'Labour Day' }, from: '2026-05-01', to: '2026-05-05', makeUpWorkingDays: ['2026-05-09'] }],
    ...overrides,
  };
}

function errorsOf(raw: unknown): string[] {
  const checked = validateCalendarYear(raw);
  expect(checked.ok, 'expected the calendar year to be refused').to.equal(false);
  return checked.ok ? [] : checked.errors;
}

describe('calendar data files', () => {
  it('given the data directory, when loaded, then CN-2026 is there with seven holidays', () => {
    const cn2026 = loadCalendarYears().find((y) => y.region === 'CN' && y.year === 2026);
    expect(cn2026?.holidays.map((h) => h.name.en)).to.deep.equal([
      "New Year's Day",
      'Spring Festival',
      'Qingming Festival',
      'Labour Day',
      'Dragon Boat Festival',
      'Mid-Autumn Festival',
      'National Day',
    ]);
  });

  it('given a valid year, when validated, then it is accepted', () => {
    expect(validateCalendarYear(year()).ok).to.equal(true);
  });

  it('given a make-up day on a weekday, when validated, then it is refused with its path', () => {
    const holidays = [{ name: { 'zh-CN': '劳动节', en: 'Labour Day' }, from: '2026-05-01', to: '2026-05-05', makeUpWorkingDays: ['2026-05-06'] }];
    expect(errorsOf(year({ holidays }))).to.deep.equal([
      'calendar CN-2026: holidays[0].makeUpWorkingDays[0] 2026-05-06 is a weekday: a make-up working day must be a Saturday or Sunday',
    ]);
  });

  it('given a day both off and made up, when validated, then it is refused', () => {
    const holidays = [{ name: { 'zh-CN': '劳动节', en: 'Labour Day' }, from: '2026-05-01', to: '2026-05-05', makeUpWorkingDays: ['2026-05-02'] }];
    expect(errorsOf(year({ holidays }))[0]).to.match(/2026-05-02 is both a day off/);
  });

  it('given overlapping holidays, a reversed range and a non-date, when validated, then each is reported', () => {
    const name = { 'zh-CN': '假', en: 'Holiday' };
    const holidays = [
      { name, from: '2026-05-01', to: '2026-05-03', makeUpWorkingDays: [] },
      { name, from: '2026-05-03', to: '2026-05-03', makeUpWorkingDays: [] },
      { name, from: '2026-06-05', to: '2026-06-01', makeUpWorkingDays: [] },
      { name, from: '2026-02-30', to: '2026-03-01', makeUpWorkingDays: [] },
    ];
    expect(errorsOf(year({ holidays }))).to.deep.equal([
      'calendar CN-2026: holidays[1] 2026-05-03 is already a day off in holidays[0]',
      'calendar CN-2026: holidays[2].to 2026-06-01 is before from 2026-06-05',
      'calendar CN-2026: holidays[3].from must be a real date YYYY-MM-DD, got "2026-02-30"',
    ]);
  });

  it('given a missing source and an extra field, when validated, then both are named', () => {
    const raw = year({ author: 'me' });
    delete raw.source;
    expect(errorsOf(raw)).to.deep.equal(['calendar CN-2026: source is missing', 'calendar CN-2026: author is not a known field']);
  });

  it('given two files for the same region and year, when a calendar is created, then it refuses', () => {
    const y = year() as unknown as CalendarYear;
    expect(() => createCalendar('CN', [y, y])).to.throw(RangeError, /CN-2026 is given twice/);
  });

  it('given years of other regions, when a calendar is created, then they are ignored', () => {
    const other = { ...(year() as unknown as CalendarYear), region: 'NL', holidays: [] };
    const calendar = createCalendar('CN', [year() as unknown as CalendarYear, other]);
    expect(calendar.years).to.deep.equal([2026]);
    expect(calendar.isWorkingDay('2026-05-01')).to.equal(false);
  });
});

describe('local dates of instants', () => {
  it('given 16:30 UTC on Sep 30, when converted for Shanghai, then it is already Oct 1', () => {
    expect(localDate('2026-09-30T16:30:00Z')).to.equal('2026-10-01');
    expect(localDate('2026-09-30T15:59:59Z')).to.equal('2026-09-30');
  });

  it('given another time zone, when converted, then that zone decides the date', () => {
    expect(localDate('2026-03-29T23:30:00Z', 'Europe/Amsterdam')).to.equal('2026-03-30');
    expect(localDate(new Date('2026-03-29T21:30:00Z'), 'Europe/Amsterdam')).to.equal('2026-03-29');
  });

  it('given something that is not an instant, when converted, then it throws', () => {
    expect(() => localDate('yesterday')).to.throw(RangeError, /not an ISO instant/);
  });
});
