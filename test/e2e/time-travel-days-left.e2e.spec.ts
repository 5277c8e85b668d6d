import { expect } from 'chai';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
const DAY_MS = 24 * 3600 * 1000;

type DaysLeft = { promised: number | null; statutory: number | null; clockStopped: boolean; provisional: boolean };

/**
 * GET /cases/{id}?asOf: days left are counted as they were on the day of the moment read, not today. The dates are
 * fixed in March 2026, which the published CN-2026 arrangement leaves without holidays or make-up days (Spring
 * Festival ends on 2026-02-28, Qingming starts on 2026-04-04): the case is accepted on Monday 2026-03-09 and read
 * again on Tuesday 2026-03-17, eight calendar days and six working days (10-13, 16, 17 March) later.
 */
describe('a past view of a case counts days left as they were that day (asOf, simulated clock), over HTTP', function () {
  this.timeout(180_000);
  const ACCEPTED_ON = '2026-03-09';
  const READ_ON = '2026-03-17';
  // 10:00 in Shenzhen (Asia/Shanghai, the engine's default time zone), well inside each local day.
  const clock = new SimulatedClock(`${ACCEPTED_ON}T02:00:00Z`);
  let errand: RunningErrand;

  before(async () => {
    errand = await startErrand('asof-days', { clock });
  });
  after(async () => errand?.stop());

  it('given a case accepted on a Monday and read six working days later, when read asOf its acceptance (by revision and by instant), then the days left are those of the Monday, and the present read has six fewer', async () => {
    const calendar = errand.engine.calendar('CN');
    /** Working days in (from, to], counted one date at a time from the calendar's own verdict on each day. */
    const workingDaysAfter = (from: string, to: string): number => {
      let count = 0;
      for (let day = Date.parse(`${from}T00:00:00Z`) + DAY_MS; day <= Date.parse(`${to}T00:00:00Z`); day += DAY_MS) {
        if (calendar.isWorkingDay(new Date(day).toISOString().slice(0, 10))) count += 1;
      }
      return count;
    };
    expect(workingDaysAfter(ACCEPTED_ON, READ_ON), 'no holiday nor make-up day between the two reads').to.equal(6);

    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const caseId = String(created.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const acceptedRevision = String(accepted.body.revision);
    expect(accepted.body.status).to.equal('gatheringEvidence');
    // The evidence worker records what it gathers at the engine's time: let it finish on the Monday.
    await until('evidence gathered and the case in review', async () => ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.status === 'review' ? true : null), 120_000);

    const onMonday = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    const due = onMonday.body.due as { promised: string; statutory: string };
    // residence-permit promises 7 working days and the law allows 15, counted from the day after acceptance.
    expect(due).to.deep.equal({ promised: '2026-03-18', statutory: '2026-03-30' });
    const then = { promised: workingDaysAfter(ACCEPTED_ON, due.promised), statutory: workingDaysAfter(ACCEPTED_ON, due.statutory) };
    const now = { promised: workingDaysAfter(READ_ON, due.promised), statutory: workingDaysAfter(READ_ON, due.statutory) };
    expect(then).to.deep.equal({ promised: 7, statutory: 15 });
    expect(now).to.deep.equal({ promised: 1, statutory: 9 });
    expect(onMonday.body.daysLeft as DaysLeft).to.include({ ...then, clockStopped: false });

    // A week and a day on: Tuesday 17 March.
    clock.advance(8 * DAY_MS);

    const present = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    expect(present.status, JSON.stringify(present.body)).to.equal(200);
    expect(present.body.due).to.deep.equal(due);
    expect(present.body.daysLeft as DaysLeft).to.include({ ...now, clockStopped: false });

    const byRevision = await errand.api(clerk, 'GET', `/cases/${caseId}?asOf=${acceptedRevision}`);
    expect(byRevision.status, JSON.stringify(byRevision.body)).to.equal(200);
    expect(byRevision.body).to.include({ status: String(accepted.body.status), revision: acceptedRevision });
    expect(String((byRevision.body.asOf as { instant: string }).instant).slice(0, 10)).to.equal(ACCEPTED_ON);
    expect(byRevision.body.due).to.deep.equal(due);
    expect(byRevision.body.daysLeft as DaysLeft).to.include({ ...then, clockStopped: false });

    // Monday 17:00 in Shenzhen, after the evidence came in: the case in review, its days left still the Monday's.
    const instant = `${ACCEPTED_ON}T17:00:00+08:00`;
    const byInstant = await errand.api(citizen, 'GET', `/cases/${caseId}?asOf=${encodeURIComponent(instant)}`);
    expect(byInstant.status, JSON.stringify(byInstant.body)).to.equal(200);
    expect(byInstant.body).to.include({ status: 'review' });
    expect(byInstant.body.due).to.deep.equal(due);
    expect(byInstant.body.daysLeft as DaysLeft).to.include({ ...then, clockStopped: false });
  });
});
