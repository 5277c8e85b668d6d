import { expect } from 'chai';
import fc from 'fast-check';
import { loadCalendar } from '../../adapters/files/index.ts';
import { fromDayNumber, toDayNumber, type Calendar, type DayKind } from '../../domain/calendar/index.ts';

describe('working-day calendar (CN 2026)', () => {
  let cn: Calendar;
  before(() => {
    cn = loadCalendar('CN');
  });

  describe('Spring Festival', () => {
    it('given the 2026 arrangement, then Feb 14 and Feb 28 (Saturdays) are working days', () => {
      expect(cn.isWorkingDay('2026-02-14')).to.equal(true);
      expect(cn.isWorkingDay('2026-02-28')).to.equal(true);
    });

    it('given the 2026 arrangement, then Feb 15 to Feb 23 are all days off', () => {
      for (let d = 15; d <= 23; d += 1) expect(cn.isWorkingDay(`2026-02-${d}`), `Feb ${d}`).to.equal(false);
      expect(cn.holidayOf('2026-02-17')?.en).to.equal('Spring Festival');
    });

    it('given Friday Feb 13, when 1 working day is added, then the due date is the make-up Saturday Feb 14', () => {
      expect(cn.addDays('2026-02-13', 1, 'working')).to.equal('2026-02-14');
    });

    it('given the make-up Saturday Feb 14, when 1 working day is added, then the due date is Tuesday Feb 24', () => {
      expect(cn.addDays('2026-02-14', 1, 'working')).to.equal('2026-02-24');
    });
  });

  describe('National Day', () => {
    it('given the 2026 arrangement, then Sunday Sep 20 and Saturday Oct 10 are working days and Oct 1-7 are off', () => {
      expect(cn.isWorkingDay('2026-09-20')).to.equal(true);
      expect(cn.isWorkingDay('2026-10-10')).to.equal(true);
      for (let d = 1; d <= 7; d += 1) expect(cn.isWorkingDay(`2026-10-0${d}`), `Oct ${d}`).to.equal(false);
      expect(cn.isWorkingDay('2026-10-11')).to.equal(false);
    });

    it('given an application accepted on Thursday 2026-09-24, when 20 working days are added, then it is due Thursday 2026-10-29', () => {
      // By hand: Sep 25-27 Mid-Autumn off; Sep 28, 29, 30 = 1-3; Oct 1-7 off; Oct 8, 9 = 4-5; Sat Oct 10 make-up = 6;
      // Oct 12-16 = 7-11; Oct 19-23 = 12-16; Oct 26, 27, 28, 29 = 17-20.
      expect(cn.addDays('2026-09-24', 20, 'working')).to.equal('2026-10-29');
      expect(cn.daysBetween('2026-09-24', '2026-10-29', 'working')).to.equal(20);
    });
  });

  describe('Labour Day', () => {
    it('given the 2026 arrangement, then May 1-5 are off and Saturday May 9 is a working day', () => {
      for (let d = 1; d <= 5; d += 1) expect(cn.isWorkingDay(`2026-05-0${d}`)).to.equal(false);
      expect(cn.isWorkingDay('2026-05-09')).to.equal(true);
    });

    it('given Thursday Apr 30, when 1 working day is added, then the due date is Wednesday May 6', () => {
      expect(cn.addDays('2026-04-30', 1, 'working')).to.equal('2026-05-06');
    });

    it('given Friday May 8, when 1 working day is added, then the due date is the make-up Saturday May 9', () => {
      expect(cn.addDays('2026-05-08', 1, 'working')).to.equal('2026-05-09');
    });
  });

  describe('boundaries', () => {
    it('given an ordinary Friday, when 1 working day is added, then the due date is the next Monday, not three days on', () => {
      expect(cn.addDays('2026-03-06', 1, 'working')).to.equal('2026-03-09');
      expect(cn.daysBetween('2026-03-06', '2026-03-09', 'working')).to.equal(1);
    });

    it('given a Saturday receipt, when 1 working day is added, then the due date is Monday', () => {
      expect(cn.addDays('2026-03-07', 1, 'working')).to.equal('2026-03-09');
    });

    it('given 0 working days from a Sunday, then the due date rolls to Monday; from a working day it stays', () => {
      expect(cn.addDays('2026-03-08', 0, 'working')).to.equal('2026-03-09');
      expect(cn.addDays('2026-03-09', 0, 'working')).to.equal('2026-03-09');
    });

    it('given the New Year make-up Sunday Jan 4, then it is a working day and Jan 1-3 are off', () => {
      expect(cn.isWorkingDay('2026-01-04')).to.equal(true);
      expect(cn.isWorkingDay('2026-01-02')).to.equal(false);
    });

    it('given Dec 30 2026, when 5 working days are added, then the due date in 2027 is provisional and skips New Year\'s Day', () => {
      // Dec 31 = 1; Jan 1 2027 is a Friday but New Year's Day by the regulation (no 2027 file yet); Jan 4-7 = 2-5.
      expect(cn.addDays('2026-12-30', 5, 'working')).to.equal('2027-01-07');
      expect(cn.isProvisional('2027-01-07')).to.equal(true);
      expect(cn.isProvisional('2026-12-31')).to.equal(false);
    });

    it('given Dec 31 2025 (no 2025 file), when 1 working day is added, then it skips the 2026 New Year to the make-up Sunday', () => {
      expect(cn.isProvisional('2025-12-31')).to.equal(true);
      expect(cn.addDays('2025-12-31', 1, 'working')).to.equal('2026-01-04');
    });

    it('given calendar days, when added, then weekends and holidays count like any day', () => {
      expect(cn.addDays('2026-09-30', 10, 'calendar')).to.equal('2026-10-10');
      expect(cn.addDays('2026-12-25', 10, 'calendar')).to.equal('2027-01-04');
      expect(cn.daysBetween('2026-02-01', '2026-03-01', 'calendar')).to.equal(28);
    });

    it('given a later start, when days between are counted, then the count is negative', () => {
      expect(cn.daysBetween('2026-10-29', '2026-09-24', 'working')).to.equal(-20);
      expect(cn.daysBetween('2026-03-09', '2026-03-06', 'calendar')).to.equal(-3);
    });

    it('given a bad date or kind, then the call throws naming the argument', () => {
      expect(() => cn.addDays('2026-02-30', 1, 'working')).to.throw(RangeError, /from/);
      expect(() => cn.addDays('2026-02-01', 1.5, 'working')).to.throw(RangeError, /n must be an integer/);
      expect(() => cn.addDays('2026-02-01', 1, 'weekly' as DayKind)).to.throw(RangeError, /day kind/);
    });
  });

  describe('warning dates', () => {
    it('given a Wednesday due date, when 2 working days are subtracted, then the warning is on Monday', () => {
      expect(cn.subtractDays('2026-03-11', 2, 'working')).to.equal('2026-03-09');
    });

    it('given a Monday due date, when 1 working day is subtracted, then the warning is on the Friday before', () => {
      expect(cn.subtractDays('2026-03-09', 1, 'working')).to.equal('2026-03-06');
    });

    it('given a due date right after National Day, when 3 working days are subtracted, then the warning skips the holiday', () => {
      // Counted back: Oct 9 = 1, Oct 8 = 2, (Oct 1-7 off) Sep 30 = 3; the warning is the working day before: Sep 29,
      // when exactly 3 working days remain.
      expect(cn.subtractDays('2026-10-09', 3, 'working')).to.equal('2026-09-29');
    });

    it('given calendar days, when subtracted, then it is plain date arithmetic', () => {
      expect(cn.subtractDays('2026-03-01', 1, 'calendar')).to.equal('2026-02-28');
    });
  });

  describe('suspension', () => {
    it('given a supplement request from Mon Mar 9 answered on Thu Mar 12, then the due date moves by 3 working days', () => {
      expect(cn.shiftedDueDate('2026-03-20', '2026-03-09', '2026-03-12', 'working')).to.equal('2026-03-25');
    });

    it('given a suspension spanning National Day, then only working days of the suspension move the due date', () => {
      // (Sep 30, Oct 9] holds Oct 8 and Oct 9: 2 working days. Due Oct 20 (Tue) + 2 = Oct 22 (Thu).
      expect(cn.shiftedDueDate('2026-10-20', '2026-09-30', '2026-10-09', 'working')).to.equal('2026-10-22');
    });

    it('given calendar days, then the due date moves by every day of the suspension', () => {
      expect(cn.shiftedDueDate('2026-10-20', '2026-09-30', '2026-10-09', 'calendar')).to.equal('2026-10-29');
    });

    it('given a suspension resumed the same day, then the due date stays', () => {
      expect(cn.shiftedDueDate('2026-10-20', '2026-10-12', '2026-10-12', 'working')).to.equal('2026-10-20');
    });

    it('given resumption before suspension, then it throws', () => {
      expect(() => cn.shiftedDueDate('2026-10-20', '2026-10-12', '2026-10-11', 'working')).to.throw(RangeError, /before/);
    });
  });

  describe('properties', () => {
    const day = fc.integer({ min: toDayNumber('2025-10-01'), max: toDayNumber('2027-03-31') }).map(fromDayNumber);
    const kind = fc.constantFrom<DayKind>('working', 'calendar');

    it('property: addDays then daysBetween round-trips', () => {
      fc.assert(
        fc.property(day, fc.integer({ min: 0, max: 60 }), kind, (from, n, k) => {
          // 0 working days from a day off rolls to the next working day by design, so it counts 1.
          fc.pre(n > 0 || k === 'calendar' || cn.isWorkingDay(from));
          expect(cn.daysBetween(from, cn.addDays(from, n, k), k)).to.equal(n);
        }),
      );
    });

    it('property: a working-day due date (n >= 1) is a working day and no earlier working day has the same count', () => {
      fc.assert(
        fc.property(day, fc.integer({ min: 1, max: 60 }), (from, n) => {
          const due = cn.addDays(from, n, 'working');
          expect(cn.isWorkingDay(due)).to.equal(true);
          expect(cn.daysBetween(from, fromDayNumber(toDayNumber(due) - 1), 'working')).to.equal(n - 1);
        }),
      );
    });

    it('property: subtractDays gives a working day n counted days before, and addDays comes back to a working due date', () => {
      fc.assert(
        fc.property(day, fc.integer({ min: 0, max: 60 }), (to, n) => {
          const warning = cn.subtractDays(to, n, 'working');
          expect(cn.isWorkingDay(warning)).to.equal(true);
          expect(cn.daysBetween(warning, to, 'working')).to.equal(n);
          if (cn.isWorkingDay(to)) expect(cn.addDays(warning, n, 'working')).to.equal(to);
        }),
      );
    });

    it('property: daysBetween is antisymmetric', () => {
      fc.assert(
        fc.property(day, day, kind, (a, b, k) => {
          expect(cn.daysBetween(a, b, k)).to.equal(-cn.daysBetween(b, a, k));
        }),
      );
    });
  });
});
