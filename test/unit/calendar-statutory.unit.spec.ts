import { expect } from 'chai';
import { Lunar } from 'lunar-typescript';
import { loadCalendarYears } from '../../adapters/files/index.ts';
import { createCalendar, daysInLieu, plusCalendarDays, statutoryDaysOff, statutoryHolidays, type CalendarYear, type LocalDate } from '../../domain/calendar/index.ts';

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

  it('given no 2027 file, when 1 working day is added to the Thursday before the Spring Festival, then the eve to the third day and the days in lieu of its weekend are skipped', () => {
    // Fri Feb 5 (eve) to Mon Feb 8; Sat 6 and Sun 7 are made up on Tue 9 and Wed 10.
    expect(cn.addDays('2027-02-04', 1, 'working')).to.equal('2027-02-11');
    expect(cn.daysBetween('2027-02-04', '2027-02-11', 'working')).to.equal(1);
  });

  it('given no 2027 file, then only the regulation\'s days are off: no bridging day or make-up weekend is guessed', () => {
    // Oct 4-5 make up National Day's weekend (art. 6); Oct 6-7 are off in most years' notices, but only a notice can say so.
    expect(cn.isWorkingDay('2027-10-06')).to.equal(true);
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

describe('days in lieu for statutory holidays on a weekend, in years without a published arrangement (art. 6)', () => {
  it('given 2028, when New Year\'s Day falls on a Saturday, then Monday Jan 3 is a provisional day off in lieu and Tuesday works', () => {
    expect(cn.isWorkingDay('2028-01-01')).to.equal(false);
    expect(cn.isWorkingDay('2028-01-03')).to.equal(false);
    expect(cn.holidayOf('2028-01-03')).to.deep.equal({ 'zh-CN': '元旦（补假）', en: "New Year's Day (day in lieu)" });
    expect(cn.isProvisional('2028-01-03')).to.equal(true);
    expect(cn.isWorkingDay('2028-01-04')).to.equal(true);
  });

  it('given 2028, when 2 working days are counted from Thursday Dec 30 2027, then the period ends on Tuesday Jan 4, past the day in lieu', () => {
    expect(cn.addDays('2027-12-30', 2, 'working')).to.equal('2028-01-04');
    expect(cn.daysBetween('2027-12-30', '2028-01-04', 'working')).to.equal(2);
  });

  it('given 2034, when New Year\'s Day falls on a Sunday, then Monday Jan 2 is the day in lieu', () => {
    expect(cn.isWorkingDay('2034-01-02')).to.equal(false);
    expect(cn.holidayOf('2034-01-02')?.en).to.equal("New Year's Day (day in lieu)");
    expect(cn.isWorkingDay('2034-01-03')).to.equal(true);
  });

  it('given 2027, when Labour Day (May 1-2) and two days of National Day fall on a weekend, then each is made up on the weekdays after', () => {
    expect(daysInLieu(statutoryHolidays(2027)).map((h) => [h.name.en, h.from, h.to])).to.deep.equal([
      ['Spring Festival (day in lieu)', '2027-02-09', '2027-02-09'],
      ['Spring Festival (day in lieu)', '2027-02-10', '2027-02-10'],
      ['Labour Day (day in lieu)', '2027-05-03', '2027-05-03'],
      ['Labour Day (day in lieu)', '2027-05-04', '2027-05-04'],
      ['National Day (day in lieu)', '2027-10-04', '2027-10-04'],
      ['National Day (day in lieu)', '2027-10-05', '2027-10-05'],
    ]);
    expect(cn.isWorkingDay('2027-05-03')).to.equal(false);
    expect(cn.isWorkingDay('2027-05-05')).to.equal(true);
  });

  it('given 2028, when Mid-Autumn (Tue Oct 3) falls within National Day, which starts on a Sunday, then both the Sunday and the shared day are made up', () => {
    expect(daysInLieu(statutoryHolidays(2028)).filter((h) => h.from >= '2028-09-01').map((h) => h.from)).to.deep.equal(['2028-10-04', '2028-10-05']);
    expect(cn.isWorkingDay('2028-10-05')).to.equal(false);
    expect(cn.isWorkingDay('2028-10-06')).to.equal(true);
  });

  it('given 2026, when computed, then the days in lieu are the ones the published notice gives (Qingming, Labour Day and National Day on a weekend) and every day computed is off in it', () => {
    expect(daysInLieu(statutoryHolidays(2026)).map((h) => h.from)).to.deep.equal(['2026-04-06', '2026-05-04', '2026-10-05']);
    const cn2026 = published.find((y) => y.year === 2026)!;
    const publishedOff = new Set(cn2026.holidays.flatMap((h) => days(h.from, h.to)));
    expect(statutoryDaysOff(2026).flatMap((h) => days(h.from, h.to)).filter((d) => !publishedOff.has(d))).to.deep.equal([]);
  });

  it('given 2025, when the Dragon Boat Festival falls on Saturday May 31, then Monday Jun 2 is its only day in lieu, as the 2025 notice gave May 31 to Jun 2', () => {
    expect(daysInLieu(statutoryHolidays(2025)).map((h) => [h.name.en, h.from])).to.deep.equal([['Dragon Boat Festival (day in lieu)', '2025-06-02']]);
  });
});
