import { expect } from 'chai';
import { loadCalendar, loadServiceCatalogue } from '../../adapters/files/index.ts';
import { reconsiderationDeadline } from '../../domain/appeals/reconsideration.ts';
import { calendarDaysPeriodEnd, periodEnd } from '../../domain/calendar/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { desiredJobs, type CaseState } from '../../workflows/index.ts';
import { SINGLE, SYSTEM, citizen, clerk, givenCase, history, types, when, type Given } from '../support/case-fixtures.ts';

const calendar = loadCalendar('CN');
const RECONSIDERATION = loadServiceCatalogue().latest('administrative-reconsideration')!;
const JUS = clerk('JUS');
const PSB = clerk('PSB');
/** A service whose limits are counted in calendar days, with a key upload to ask a supplement of. */
const CALENDAR_DAYS: ServiceDefinition = { ...SINGLE, id: 'test-calendar-days', limits: { ...SINGLE.limits, dayKind: 'calendar', supplementDays: 10 } };

// 2026: Sat Aug 22; National Day off Oct 1-7 (Sat Oct 10 a make-up working day); Sat Oct 31, Mon Nov 2.
const submittedOn = (on: string): Given =>
  ({ ...history.submitted(), on, data: { ...history.submitted().data, submittedOn: on, intakeDueOn: calendar.addDays(on, 5, 'working') } }) as Given;
const submitted = (on = '2026-08-02', definition = RECONSIDERATION) => givenCase(definition, [history.drafted(definition), submittedOn(on)]);
/** The reconsideration service's case accepted on Sun Aug 2 2026: day 60 is National Day, day 20 a Saturday. */
const acceptedAug2 = () => when(submitted(), { type: 'AcceptCase', actor: JUS }, '2026-08-02').state;
const recalculate = (state: CaseState, on: string) => when(state, { type: 'RecalculateDeadlines', actor: SYSTEM, calendarVersion: calendar.version }, on);

describe('time limits counted in calendar days: a period whose last day is a day off ends on the first working day after it', () => {
  describe('the end of a period (pure)', () => {
    it('given n calendar days ending on a holiday, a weekend or a working day, then the end is the first working day on or after the n-th day', () => {
      expect(calendarDaysPeriodEnd('2026-08-02', 60, calendar), 'day 60 is National Day').to.equal('2026-10-08');
      expect(calendarDaysPeriodEnd('2026-08-02', 20, calendar), 'day 20 is a Saturday').to.equal('2026-08-24');
      expect(calendarDaysPeriodEnd('2026-09-30', 10, calendar), 'a make-up working Saturday stays').to.equal('2026-10-10');
      expect(calendarDaysPeriodEnd('2026-08-03', 10, calendar), 'a working day stays').to.equal('2026-08-13');
    });

    it('given working days, then the end is the calendar\'s working-day count, unchanged', () => {
      for (const [from, n] of [['2026-09-28', 3], ['2026-08-02', 20], ['2026-12-28', 5]] as const) {
        expect(periodEnd(calendar, from, n, 'working')).to.equal(calendar.addDays(from, n, 'working'));
      }
      expect(periodEnd(calendar, '2026-08-02', 60, 'calendar')).to.equal('2026-10-08');
    });

    it('given the applicant\'s 60 days to ask for reconsideration, then they end by the same rule as every other calendar-day limit', () => {
      for (const decidedOn of ['2026-08-02', '2026-03-02', '2026-03-10']) {
        expect(reconsiderationDeadline(decidedOn, calendar)).to.equal(calendarDaysPeriodEnd(decidedOn, 60, calendar));
      }
    });

    it('given a count that is not a whole number of days, then it is refused', () => {
      expect(() => calendarDaysPeriodEnd('2026-08-02', 1.5, calendar)).to.throw(RangeError);
      expect(() => calendarDaysPeriodEnd('2026-08-02', -1, calendar)).to.throw(RangeError);
    });
  });

  describe('the reviewing body\'s limits (the administrative-reconsideration service, 60 and 20 calendar days)', () => {
    it('given acceptance on Aug 2 2026, then the statutory limit ends on Oct 8, not on National Day, as the applicant\'s own 60 days would, and the promised one on Monday Aug 24', () => {
      expect(RECONSIDERATION.limits).to.include({ dayKind: 'calendar', statutoryDays: 60, promisedDays: 20 });
      const accepted = when(submitted(), { type: 'AcceptCase', actor: JUS }, '2026-08-02');
      expect(accepted.events[0]!.data).to.deep.include({ due: { statutory: '2026-10-08', promised: '2026-08-24' } });
      expect(accepted.state.context.due!.statutory).to.equal(reconsiderationDeadline('2026-08-02', calendar));
    });

    it('given an application nobody answered in time, when it is deemed accepted from receipt, then its limits end off the days off too', () => {
      const deemed = when(submitted(), { type: 'DeemAccepted', actor: SYSTEM }, '2026-08-10');
      expect(deemed.events[0]!.data).to.deep.include({ acceptedOn: '2026-08-02', deemed: true, due: { statutory: '2026-10-08', promised: '2026-08-24' } });
    });

    it('given the statutory limit ends on Oct 8, when the overdue timer runs during National Day, then nothing is recorded; the day after Oct 8 the case is overdue', () => {
      const accepted = acceptedAug2();
      for (const dueOn of ['2026-10-01', '2026-10-08']) {
        expect(types(when(accepted, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn }, '2026-10-02')), dueOn).to.deep.equal([]);
      }
      expect(types(when(accepted, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-10-08' }, '2026-10-08'))).to.deep.equal([]);
      expect(types(when(accepted, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-10-08' }, '2026-10-09'))).to.deep.equal(['DeadlineOverdue']);
    });

    it('given the statutory limit ends on Oct 8, then its warning 5 days before, Oct 3 in National Day, shows on the last working day before it, Sep 30; one on a working day stays', () => {
      const warnings = desiredJobs(acceptedAug2(), calendar, 'Asia/Shanghai').flatMap((j) => (j.kind === 'timer' && j.jobId.includes('-warn-') ? [[j.jobId, j.runAt.toISOString()]] : []));
      // 00:00 in Shanghai is 16:00 UTC the day before; Wed Aug 19 is 5 days before Mon Aug 24.
      expect(warnings).to.deep.equal([
        ['t-case-1-warn-promised-2026-08-24', '2026-08-18T16:00:00.000Z'],
        ['t-case-1-warn-statutory-2026-10-08', '2026-09-29T16:00:00.000Z'],
      ]);
    });

    it('given limits moved off days off, when extended by 30 days, then the periods are counted whole from acceptance (90 and 50 days) and their ends moved once, not counted on from the moved ends', () => {
      const extended = when(acceptedAug2(), { type: 'ExtendDeadline', actor: JUS, days: 30, reason: 'complex facts' }, '2026-08-20');
      // Day 90 is Sat Oct 31, so Mon Nov 2 (Oct 8 + 30 would be Nov 9); day 50 is Mon Sep 21 (Aug 24 + 30 would be Sep 23).
      expect(extended.events[0]!.data).to.deep.include({ due: { statutory: '2026-11-02', promised: '2026-09-21' } });
    });

    it('given limits moved off days off, when a suspension of 3 days ends, then the periods grow by 3 days from acceptance and their ends are moved once', () => {
      let state = when(acceptedAug2(), { type: 'SuspendCase', actor: JUS, kind: 'hearing', reason: 'hearing' }, '2026-08-10').state;
      const resumed = when(state, { type: 'ResumeCase', actor: JUS }, '2026-08-13');
      // Day 63 is Oct 4, in National Day, so Oct 8 (Oct 8 + 3 would be Sun Oct 11); day 23 is Tue Aug 25.
      expect(resumed.events[0]!.data).to.deep.include({ resumedOn: '2026-08-13', due: { statutory: '2026-10-08', promised: '2026-08-25' } });
      state = when(resumed.state, { type: 'ExtendDeadline', actor: JUS, days: 30, reason: 'complex facts' }, '2026-08-20').state;
      // 60 + 3 + 30 = day 93, Tue Nov 3; 20 + 3 + 30 = day 53, Thu Sep 24.
      expect(state.context.due).to.deep.equal({ statutory: '2026-11-03', promised: '2026-09-24' });
    });

    it('given dates set by acceptance, extension and suspension, when recalculated with the same calendar, then they are reproduced and nothing is recorded', () => {
      let state = acceptedAug2();
      expect(recalculate(state, '2026-08-03').events).to.deep.equal([]);
      state = when(state, { type: 'ExtendDeadline', actor: JUS, days: 10, reason: 'complex facts' }, '2026-08-05').state;
      state = when(state, { type: 'SuspendCase', actor: JUS, kind: 'hearing', reason: 'hearing' }, '2026-08-10').state;
      state = when(state, { type: 'ResumeCase', actor: JUS }, '2026-08-17').state;
      // 60 + 10 + 7 = day 77, Sun Oct 18; 20 + 10 + 7 = day 37, Tue Sep 8.
      expect(state.context.due).to.deep.equal({ statutory: '2026-10-19', promised: '2026-09-08' });
      expect(recalculate(state, '2026-08-17').events).to.deep.equal([]);
    });

    it('given dates recorded before ends were moved off days off (National Day, a Saturday), when recalculated, then both move to the first working day after and the old overdue timer finds its date gone', () => {
      const accepted = history.accepted({ statutory: '2026-10-01', promised: '2026-08-22' });
      const state = givenCase(RECONSIDERATION, [history.drafted(RECONSIDERATION), submittedOn('2026-08-02'), { ...accepted, on: '2026-08-02', data: { ...accepted.data, acceptedOn: '2026-08-02' } } as Given]);
      const decision = recalculate(state, '2026-08-20');
      expect(decision.events).to.deep.equal([
        {
          type: 'DeadlinesRecalculated',
          data: { calendarVersion: calendar.version, recalculatedOn: '2026-08-20', previous: { statutory: '2026-10-01', promised: '2026-08-22' }, due: { statutory: '2026-10-08', promised: '2026-08-24' } },
        },
      ]);
      expect(types(when(decision.state, { type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-10-01' }, '2026-10-02'))).to.deep.equal([]);
    });
  });

  describe('the applicant\'s supplement period in calendar days', () => {
    // Asked on Mon Sep 21 2026: day 10 is Oct 1.
    const asked = () => when(submitted('2026-09-21', CALENDAR_DAYS), { type: 'RequestSupplement', actor: PSB, items: [{ materialId: 'photo', note: 'a recent photo' }] }, '2026-09-21').state;

    it('given 10 days ending on National Day, then the applicant has until Oct 8, may supplement that day, and the period expires only after it', () => {
      const state = asked();
      expect(state.context.supplement.dueOn).to.equal('2026-10-08');
      expect(types(when(state, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-10-08'))).to.deep.equal([]);
      expect(types(when(state, { type: 'ExpireSupplement', actor: SYSTEM }, '2026-10-09'))).to.deep.equal(['CaseNotAccepted']);
      const uploaded = when(state, { type: 'UploadMaterial', actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) }, '2026-10-08').state;
      expect(types(when(uploaded, { type: 'ProvideSupplement', actor: citizen() }, '2026-10-08'))).to.deep.equal(['SupplementProvided']);
    });

    it('given the period set so, when recalculated with the same calendar, then nothing is recorded; a date recorded on the holiday moves to Oct 8', () => {
      const state = asked();
      expect(recalculate(state, '2026-09-22').events).to.deep.equal([]);
      const before = givenCase(CALENDAR_DAYS, [
        history.drafted(CALENDAR_DAYS), submittedOn('2026-09-21'),
        { type: 'SupplementRequested', on: '2026-09-21', data: { items: [{ materialId: 'photo', note: 'a recent photo' }], requestedOn: '2026-09-21', dueOn: '2026-10-01' } } as Given,
      ]);
      expect(recalculate(before, '2026-09-22').events.map((e) => e.data)).to.deep.equal([
        { calendarVersion: calendar.version, recalculatedOn: '2026-09-22', limits: [{ limit: 'supplement', from: '2026-09-21', previous: '2026-10-01', dueOn: '2026-10-08' }] },
      ]);
    });
  });
});
