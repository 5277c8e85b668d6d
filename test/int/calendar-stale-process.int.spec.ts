import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { CALENDAR_DATA_DIR } from '../../adapters/files/index.ts';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { caseStream } from '../../domain/case/events.ts';
import { CALENDAR_CITIZEN as citizen, CALENDAR_CLERK as clerk, CN_2027, RESIDENCE_FORM as FORM } from '../support/calendar-fixtures.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { until } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const CASE_ID = '7a1d2c3e-2027-4c1e-9d3b-1a2b3c4d5e80';

/**
 * A worker and an API process on one database. The API process re-reads the calendars only every CALENDAR_RESCAN_MS
 * (here: never after its start), so it goes on setting limits under the calendars it read at start after the worker
 * has read a new one and run its pass.
 */
describe('a limit set after the calendar pass by a process on the calendars it replaced (PostgreSQL, API and worker)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let dir: string;
  let worker: Engine;
  let api: Engine;

  before(async () => {
    db = await createTestDatabase('calendar_stale_process');
    dir = mkdtempSync(join(tmpdir(), 'errand-calendar-stale-'));
    for (const role of ['worker', 'api']) {
      mkdirSync(join(dir, role));
      copyFileSync(join(CALENDAR_DATA_DIR, 'CN-2026.json'), join(dir, role, 'CN-2026.json'));
    }
    const clock: Clock = { now: () => new Date('2026-12-28T04:00:00Z') };
    const env = { DATABASE_URL: db.url, DATA_DIR: dir, DEMO_LIBRARY: 'true', LOG_LEVEL: 'silent', CALENDAR_RESCAN_MS: '0' };
    worker = await createEngine(loadConfig({ ...env, ROLE: 'worker', CALENDAR_DIR: join(dir, 'worker') }), { clock });
    await worker.startBackground();
    api = await createEngine(loadConfig({ ...env, ROLE: 'api', CALENDAR_DIR: join(dir, 'api') }), { clock });
  });
  after(async () => {
    await api?.stop();
    await worker?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given the worker recomputed a submitted case under a new year\'s file, when the API process still on the old calendar accepts the case, then the worker recomputes its due dates under the new one', async () => {
    const base = { caseId: CASE_ID };
    await api.commands.handle({ ...base, type: 'DraftApplication', commandId: 'd1', actor: citizen, serviceId: 'residence-permit', form: FORM });
    await api.commands.handle({ ...base, type: 'UploadMaterial', commandId: 'd2', actor: citizen, materialId: 'photo', fileName: 'photo.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'a'.repeat(64) });
    await api.commands.handle({ ...base, type: 'SubmitApplication', commandId: 'd3', actor: citizen });
    await until('the case in the open-case list', async () => (await worker.stores.readStore.find(OPEN_CASES, { where: { open: true } })).total === 1);

    writeFileSync(join(dir, 'worker', 'CN-2027.json'), JSON.stringify(CN_2027));
    expect(await worker.calendars.rescan(), 'the worker\'s pass').to.equal(1);
    expect(api.calendar('CN').isWorkingDay('2027-01-04'), 'the API process has not re-read the calendars').to.equal(true);

    const accepted = await api.commands.handle({ ...base, type: 'AcceptCase', commandId: 'd4', actor: clerk });
    // Dec 29-31, then Jan 4-7 under the calendar it holds: 7 working days; Jan 4 is off under the new file.
    expect(accepted.state.context.due?.promised).to.equal('2027-01-07');

    const recalculated = await until('the worker to recompute the due dates', async () => {
      const events = await worker.stores.eventStore.readStream(caseStream(CASE_ID));
      return events.find((e) => e.type === 'DeadlinesRecalculated');
    });
    expect((recalculated.data.due as { promised: string }).promised).to.equal('2027-01-08');
    expect(recalculated.data.calendarVersion).to.equal(worker.calendar('CN').version);
    expect((await worker.commands.load(CASE_ID)).context.due?.promised).to.equal('2027-01-08');
  });
});
