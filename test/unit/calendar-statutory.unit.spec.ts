import { expect } from 'chai';
import { Lunar } from 'lunar-typescript';
import { loadCalendarYears } from '../../adapters/files/index.ts';
import { createCalendar, plusCalendarDays, statutoryHolidays, type CalendarYear, type LocalDate } from '../../domain/calendar/index.ts';

const days = (from: LocalDate, to: LocalDate): LocalDate[] => {
  const out: LocalDate[] = [];
  for (let d = from; d <= to; d = plusCalendarDays(d, 1)) out.push(d);
  return out;
};
const published = loadCalendarYears().filter((y) => y.region === 'CN');
const cn = createCalendar('CN', published);

describe('statutory holidays in years without a published arrangement', () => {
  it('given 2026, when computed from the lunar calendar, then every statutory day is a day off in the published 2026 file', () => {
    const cn2026 = published.find((y) => y.year === 2026)!;
    const publishedOff = new Set(cn2026.holidays.flatMap((h) => days(h.from, h.to)));
    const statutory = statutoryHolidays(2026).flatMap((h) => days(h.from, h.to));
    expect(statutory).to.have.length(13);
    expect(statutory.filter((d) => !publishedOff.has(d))).to.deep.equal([]);
  });

  it('given 2027, when computed, then the dates are the pinned ones, and the library agrees on the lunar new year', () => {
    expect(Lunar.fromYmd(2027, 1, 1).getSolar().toYmd()).to.equal('2027-02-06');
    expect(statutoryHolidays(2027).map((h) => [h.name.en, h.from, h.to])).to.deep.equal([
      ["New Year's Day", '2027-01-01', '2027-01-01'],
      ['Spring Festival', '2027-02-05', '2027-02-08'],
      ['Qingming Festival', '2027-04-05', '2027-04-05'],
      ['Labour Day', '2027-05-01', '2027-05-02'],
      ['Dragon Boat Festival', '2027-06-09', '2027-06-09'],
      ['Mid-Autumn Festival', '2027-09-15', '2027-09-15'],
      ['National Day', '2027-10-01', '2027-10-03'],
    ]);
  });

  it('given no 2027 file, when New Year\'s Day 2027 (a Friday) is asked about, then it is a provisional day off', () => {
    expect(cn.years).to.not.include(2027);
    expect(cn.isWorkingDay('2027-01-01')).to.equal(false);
    expect(cn.holidayOf('2027-01-01')?.en).to.equal("New Year's Day");
    expect(cn.isProvisional('2027-01-01')).to.equal(true);
  });

  it('given no 2027 file, when 1 working day is added to the Thursday before the Spring Festival, then the eve to the third day are skipped', () => {
    expect(cn.addDays('2027-02-04', 1, 'working')).to.equal('2027-02-09');
    expect(cn.daysBetween('2027-02-04', '2027-02-09', 'working')).to.equal(1);
  });

  it('given no 2027 file, then only the regulation\'s days are off: no make-up arrangement is guessed', () => {
    // Mon Oct 4 is off in most years' arrangements, but only the annual notice can say so.
    expect(cn.isWorkingDay('2027-10-04')).to.equal(true);
    expect(cn.isWorkingDay('2027-06-09')).to.equal(false);
    expect(cn.isWorkingDay('2027-09-15')).to.equal(false);
  });

  it('given a 2027 file, when the calendar is built with it, then the file decides and nothing is provisional', () => {
    const name = { 'zh-CN': '国庆节', en: 'National Day' };
    const cn2027: CalendarYear = { region: 'CN', year: 2027, source: 'test', holidays: [{ name, from: '2027-10-01', to: '2027-10-07', makeUpWorkingDays: ['2027-09-26'] }] };
    const withFile = createCalendar('CN', [...published, cn2027]);
    expect(withFile.isWorkingDay('2027-10-04')).to.equal(false);
    expect(withFile.isWorkingDay('2027-09-26')).to.equal(true);
    // The file replaces the whole year: a holiday it leaves out is a working day.
    expect(withFile.isWorkingDay('2027-01-01')).to.equal(true);
    expect(withFile.isProvisional('2027-10-04')).to.equal(false);
    expect(withFile.version).to.not.equal(cn.version);
  });

  it('given a year before the 2024 amendment applies or another region, then only weekends are off', () => {
    expect(createCalendar('CN', []).isWorkingDay('2024-10-01')).to.equal(true);
    expect(createCalendar('NL', []).isWorkingDay('2027-01-01')).to.equal(true);
    expect(() => statutoryHolidays(2024)).to.throw(RangeError, /2025-2099/);
  });
});
