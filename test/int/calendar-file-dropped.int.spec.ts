import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { CALENDAR_DATA_DIR } from '../../adapters/files/index.ts';
import type { JobQueue } from '../../adapters/queue/index.ts';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { createEngine, openJobQueue, type Engine } from '../../runtime/engine.ts';
import { caseStream } from '../../domain/case/events.ts';
import { CALENDAR_CITIZEN as citizen, CALENDAR_CLERK as clerk, CN_2027, RESIDENCE_FORM as FORM } from '../support/calendar-fixtures.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const CASE_ID = '7a1d2c3e-2027-4c1e-9d3b-1a2b3c4d5e6f';
/** Submitted only: its intake limit (art. 32) is the one the file moves. */
const SUBMITTED_ID = '7a1d2c3e-2027-4c1e-9d3b-1a2b3c4d5e70';

describe('a new year\'s holiday file dropped into CALENDAR_DIR (PostgreSQL, in-process queue)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let dir: string;
  let engine: Engine;
  const timers: string[] = [];

  before(async () => {
    db = await createTestDatabase('calendar_drop');
    dir = mkdtempSync(join(tmpdir(), 'errand-calendars-'));
    copyFileSync(join(CALENDAR_DATA_DIR, 'CN-2026.json'), join(dir, 'CN-2026.json'));
    const clock: Clock = { now: () => new Date('2026-12-28T04:00:00Z') };
    const config = loadConfig({ DATABASE_URL: db.url, CALENDAR_DIR: dir, CALENDAR_RESCAN_MS: '0', LOG_LEVEL: 'silent', DATA_DIR: dir, DEMO_LIBRARY: 'true' });
    const inner = await openJobQueue(config.queue, clock);
    // The real queue, with the ids of the timers the reactor schedules written down.
    const queue: JobQueue = { ...inner, kind: inner.kind, add: async (q, name, payload, options) => { timers.push(options.jobId ?? name); return inner.add(q, name, payload, options); } };
    engine = await createEngine(config, { clock, queue });
    await engine.startBackground();
  });
  after(async () => {
    await engine?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a case accepted in late December with a provisional due date and another submitted, when the 2027 file is dropped in and the directory rescanned, then the accepted case records DeadlinesRecalculated, a submitted one TimeLimitsRecalculated for its intake limit, and both get timers for the new dates', async () => {
    const base = { caseId: CASE_ID };
    await engine.commands.handle({ ...base, type: 'DraftApplication', commandId: 'd1', actor: citizen, serviceId: 'residence-permit', form: FORM });
    await engine.commands.handle({ ...base, type: 'UploadMaterial', commandId: 'd2', actor: citizen, materialId: 'photo', fileName: 'photo.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'a'.repeat(64) });
    await engine.commands.handle({ ...base, type: 'SubmitApplication', commandId: 'd3', actor: citizen });
    const accepted = await engine.commands.handle({ ...base, type: 'AcceptCase', commandId: 'd4', actor: clerk });
    // Dec 29-31, then Jan 1 off by the regulation, Jan 4-7: 7 working days, provisional.
    expect(accepted.state.context.due?.promised).to.equal('2027-01-07');
    expect(engine.calendar('CN').isProvisional('2027-01-07')).to.equal(true);
    const other = { caseId: SUBMITTED_ID };
    await engine.commands.handle({ ...other, type: 'DraftApplication', commandId: 's1', actor: citizen, serviceId: 'residence-permit', form: FORM });
    const submitted = await engine.commands.handle({ ...other, type: 'SubmitApplication', commandId: 's2', actor: citizen });
    // Dec 29-31, Jan 4-5: provisional.
    expect(submitted.state.context.intakeDueOn).to.equal('2027-01-05');
    // Nothing changed yet: a rescan asks no case anything.
    expect(await engine.calendars.rescan()).to.equal(0);

    // The open-cases list is kept by the case-jobs reactor as it reads the log; wait until it holds this case.
    const listed = async () => (await engine.stores.readStore.find(OPEN_CASES, { where: { open: true } })).total === 2;
    for (let i = 0; i < 150 && !(await listed()); i += 1) await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(dir, 'CN-2027.json'), JSON.stringify(CN_2027));
    expect(await engine.calendars.rescan()).to.equal(2);

    const events = await engine.stores.eventStore.readStream(caseStream(CASE_ID));
    const recalculated = events.filter((e) => e.type === 'DeadlinesRecalculated');
    expect(recalculated).to.have.length(1);
    expect(recalculated[0]!.data).to.deep.include({ previous: accepted.state.context.due, recalculatedOn: '2026-12-28' });
    expect((recalculated[0]!.data.due as { promised: string }).promised).to.equal('2027-01-08');
    expect(String(recalculated[0]!.data.calendarVersion)).to.match(/^CN:2026,2027@[0-9a-f]{12}$/);
    expect(engine.calendar('CN').isProvisional('2027-01-08')).to.equal(false);

    for (let i = 0; i < 100 && !timers.some((t) => t.includes('promised-2027-01-08')); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(timers.filter((t) => t.includes('overdue-promised-2027-01-08'))).to.have.length(1);

    // The other limits move too, each from its own start: the submitted case's intake limit, with its timer re-armed.
    const moved = (await engine.stores.eventStore.readStream(caseStream(SUBMITTED_ID))).filter((e) => e.type === 'TimeLimitsRecalculated');
    expect(moved.map((e) => e.data.limits)).to.deep.equal([[{ limit: 'intake', from: '2026-12-28', previous: '2027-01-05', dueOn: '2027-01-06' }]]);
    for (let i = 0; i < 100 && !timers.includes(`t-${SUBMITTED_ID}-intake-2027-01-06`); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(timers).to.include(`t-${SUBMITTED_ID}-intake-2027-01-06`);

    // A second rescan with nothing new records nothing more.
    expect(await engine.calendars.rescan()).to.equal(0);
    expect((await engine.stores.eventStore.readStream(caseStream(CASE_ID))).filter((e) => e.type === 'DeadlinesRecalculated')).to.have.length(1);
    expect((await engine.stores.eventStore.readStream(caseStream(SUBMITTED_ID))).filter((e) => e.type === 'TimeLimitsRecalculated')).to.have.length(1);
  });
});
