import { expect } from 'chai';
import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { CALENDAR_DATA_DIR, loadDataCatalogue, loadYears, openCalendarSource, type LoadedYear } from '../../adapters/files/index.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { createCalendar, type CalendarYear } from '../../domain/calendar/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCalendarRefresh } from '../../runtime/calendar-refresh.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import { createCommandHandler } from '../../workflows/index.ts';
import { SINGLE, citizen, clerk } from '../support/case-fixtures.ts';
import { memoryCaseLog } from '../support/memory-case-log.ts';

const CASES = ['c0ffee00-0000-4000-8000-000000000001', 'c0ffee00-0000-4000-8000-000000000002'];
const base = loadYears(CALENDAR_DATA_DIR);
const loaded = (year: CalendarYear): LoadedYear => ({ year, sha256: createHash('sha256').update(JSON.stringify(year)).digest('hex') });
/** CN-2027 as published: New Year's Day and the Monday after it off. */
const A: CalendarYear = { region: 'CN', year: 2027, source: 'notice', holidays: [{ name: { 'zh-CN': '元旦', en: 'NY' }, from: '2027-01-01', to: '2027-01-04', makeUpWorkingDays: [] }] };
/** A mistaken edit of it: the whole first week off. */
const B: CalendarYear = { ...A, holidays: [{ ...A.holidays[0]!, to: '2027-01-08' }] };
/** The decision's limits of a case accepted on 2026-12-28, as a fresh computation under `years` gives them. */
const dueUnder = (years: CalendarYear[]) => {
  const calendar = createCalendar('CN', years);
  return { statutory: calendar.addDays('2026-12-28', SINGLE.limits.statutoryDays, 'working'), promised: calendar.addDays('2026-12-28', SINGLE.limits.promisedDays, 'working') };
};
const underA = dueUnder([...base.map((l) => l.year), A]);
const underB = dueUnder([...base.map((l) => l.year), B]);

/**
 * One event log and one open-case list, and as many processes on them as a test asks for: each with its own calendars
 * (read from `published` at its own rescans), its own command handler (and cache) and its own calendar refresh.
 */
function deployment() {
  const log = memoryCaseLog({ slow: true });
  const clock = new SimulatedClock('2026-12-28T04:00:00Z');
  const readStore = createMemoryReadStore();
  const world = { published: base, log, clock, readStore, process };
  interface ProcessOptions {
    /** Stands between the refresh and the command handler (a failing store). */
    handle?: (command: CaseCommand, next: (command: CaseCommand) => Promise<unknown>) => Promise<unknown>;
    readStore?: ReadStore;
    logger?: Logger;
    rescanMs?: number;
  }
  function process(given: ProcessOptions = {}) {
    const source = openCalendarSource(() => world.published, 'store');
    const environment = createEnvironmentFactory({ calendar: (r) => source.calendar(r), dataCatalogue: loadDataCatalogue(), timeZone: 'Asia/Shanghai' });
    const handler = createCommandHandler({ events: log, services: { get: () => SINGLE, latest: () => SINGLE }, clock, environment });
    const refresh = createCalendarRefresh({
      directory: source,
      readStore: given.readStore ?? readStore,
      logger: given.logger ?? pino({ level: 'silent' }),
      rescanMs: given.rescanMs ?? 0,
      load: (caseId) => handler.load(caseId),
      environment: (definition) => environment(definition, clock.now()),
      handle: (command) => (given.handle ? given.handle(command, (c) => handler.handle(c)) : handler.handle(command)),
    });
    return { source, handler, refresh };
  }
  return world;
}

type Process = ReturnType<ReturnType<typeof deployment>['process']>;

async function submit(process: Process, caseId: string): Promise<void> {
  const { handler } = process;
  await handler.handle({ type: 'DraftApplication', commandId: `d-${caseId}`, caseId, actor: citizen(), serviceId: SINGLE.id, form: { address: 'x' } });
  await handler.handle({ type: 'UploadMaterial', commandId: `u-${caseId}`, caseId, actor: citizen(), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) });
  await handler.handle({ type: 'SubmitApplication', commandId: `s-${caseId}`, caseId, actor: citizen() });
}

async function listOpen(world: ReturnType<typeof deployment>, caseId: string): Promise<void> {
  await world.readStore.transaction((tx) => tx.put(OPEN_CASES, caseId, { caseId, open: true }));
}

async function acceptedCases(world: ReturnType<typeof deployment>, process: Process): Promise<void> {
  for (const caseId of CASES) {
    await submit(process, caseId);
    await process.handler.handle({ type: 'AcceptCase', commandId: `a-${caseId}`, caseId, actor: clerk('PSB') });
    await listOpen(world, caseId);
  }
}

const recorded = (world: ReturnType<typeof deployment>, caseId: string, type: string) => world.log.all.filter((e) => e.streamId === caseStream(caseId) && e.type === type);

describe('calendar change: open cases recomputed by the worker', () => {
  it('given CN-2027 published as A, then B by mistake, then A again, when the worker rescans after each, then open cases end on A\'s dates', async () => {
    const world = deployment();
    const worker = world.process();
    await acceptedCases(world, worker);
    await worker.refresh.recalculateOnChange();

    world.published = [...base, loaded(A)];
    expect(await worker.refresh.rescan()).to.equal(CASES.length);
    expect((await worker.handler.load(CASES[0]!)).context.due).to.deep.equal(underA);
    world.published = [...base, loaded(B)];
    await worker.refresh.rescan();
    expect((await worker.handler.load(CASES[0]!)).context.due).to.deep.equal(underB);
    world.published = [...base, loaded(A)];
    expect(await worker.refresh.rescan()).to.equal(CASES.length);

    for (const caseId of CASES) {
      expect((await worker.handler.load(caseId)).context.due).to.deep.equal(underA);
      expect(recorded(world, caseId, 'DeadlinesRecalculated').map((e) => (e.data.due as { promised: string }).promised)).to.deep.equal([underA.promised, underB.promised, underA.promised]);
    }
  });

  it('given a calendar change, when two workers run the pass at once and one of them runs it again after a restart, then each moved date is recorded once', async () => {
    const world = deployment();
    const first = world.process();
    const second = world.process();
    await acceptedCases(world, first);
    await Promise.all([first.refresh.recalculateOnChange(), second.refresh.recalculateOnChange()]);

    world.published = [...base, loaded(A)];
    await Promise.all([first.refresh.rescan(), second.refresh.rescan()]);
    await first.refresh.rescan();
    const restarted = world.process();
    await restarted.refresh.recalculateOnChange();

    for (const caseId of CASES) {
      expect((await restarted.handler.load(caseId)).context.due).to.deep.equal(underA);
      expect(recorded(world, caseId, 'DeadlinesRecalculated')).to.have.length(1);
      // The 容缺 follow-up of the lease owed since acceptance moved too, once.
      expect(recorded(world, caseId, 'TimeLimitsRecalculated')).to.have.length(1);
    }
  });
});

/** A logger whose lines the test reads; `nextError` resolves with the next line logged as an error. */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  let waiting: ((msg: string) => void) | null = null;
  const logger = pino({ level: 'info' }, {
    write: (text: string) => {
      const line = JSON.parse(text) as { level: number; msg: string };
      lines.push(line);
      if (line.level >= 50 && waiting) waiting(line.msg);
    },
  });
  const nextError = () => new Promise<string>((resolve) => (waiting = resolve));
  return { lines, logger, nextError };
}

describe('calendar change: a recomputation pass that does not get through', () => {
  it('given one case\'s command failing on a store blip during the pass, when the worker rescans next with nothing changed, then that case is recomputed, and only that case is asked again', async () => {
    const world = deployment();
    const asked: string[] = [];
    let blip = false;
    const worker = world.process({
      handle: async (command, next) => {
        asked.push(command.caseId);
        if (blip && command.caseId === CASES[1]) {
          blip = false;
          throw Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' });
        }
        return next(command);
      },
    });
    await acceptedCases(world, worker);
    await worker.refresh.recalculateOnChange();

    world.published = [...base, loaded(A)];
    blip = true;
    expect(await worker.refresh.rescan()).to.equal(1);
    expect((await worker.handler.load(CASES[1]!)).context.due).to.not.deep.equal(underA);
    asked.length = 0;
    expect(await worker.refresh.rescan()).to.equal(1);
    expect(asked).to.deep.equal([CASES[1]]);
    for (const caseId of CASES) expect((await worker.handler.load(caseId)).context.due).to.deep.equal(underA);
    // Owed nothing more: a further rescan asks no case.
    expect(await worker.refresh.rescan()).to.equal(0);
  });

  it('given the open cases unlisted when the periodic rescan\'s pass runs (read store unreachable), then the log says the new calendars are in use and the pass runs again, and the next rescan recomputes every open case', async () => {
    const world = deployment();
    let unreachable = false;
    const flaky: ReadStore = Object.assign(Object.create(world.readStore) as ReadStore, {
      find: (...args: Parameters<ReadStore['find']>) => (unreachable ? Promise.reject(new Error('read store unreachable')) : world.readStore.find(...args)),
    });
    const { logger, nextError } = capturedLogger();
    const worker = world.process({ readStore: flaky, logger, rescanMs: 10 });
    await acceptedCases(world, worker);
    await worker.refresh.recalculateOnChange();

    world.published = [...base, loaded(A)];
    unreachable = true;
    const logged = nextError();
    worker.refresh.start();
    const error = await logged;
    // Stopped before its next round, which would run the owed pass itself.
    const stopped = worker.refresh.stop();
    unreachable = false;
    await stopped;
    expect(error).to.match(/calendars read are in use.*runs again/);
    expect(error).to.not.match(/keeping/);
    expect(worker.source.calendar('CN').isWorkingDay('2027-01-04')).to.equal(false);

    expect(await worker.refresh.rescan()).to.equal(CASES.length);
    for (const caseId of CASES) expect((await worker.handler.load(caseId)).context.due).to.deep.equal(underA);
  });

  it('given a calendar that cannot be read, when the worker rescans, then the log says the calendars in use are kept, and they are', async () => {
    const world = deployment();
    const { lines, logger } = capturedLogger();
    const worker = world.process({ logger });
    await acceptedCases(world, worker);
    await worker.refresh.recalculateOnChange();
    const before = worker.source.versions();

    Object.defineProperty(world, 'published', { get: () => { throw new Error('CN-2027.json: holidays[0].to is not a date'); } });
    expect(await worker.refresh.rescan().then(() => null, (error: Error) => error.message)).to.match(/CN-2027/);
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).to.deep.equal(['calendar rescan failed; keeping the calendars in use']);
    expect(worker.source.versions()).to.equal(before);
  });
});

describe('calendar change: limits set after the pass, by a process that had not read the change yet', () => {
  /** An API process still on the calendars of its last rescan submits the case and, after the worker's pass, accepts it. */
  async function acceptedAfterThePass() {
    const world = deployment();
    const worker = world.process();
    const api = world.process();
    await submit(api, CASES[0]!);
    await listOpen(world, CASES[0]!);
    await worker.refresh.recalculateOnChange();

    world.published = [...base, loaded(A)];
    expect(await worker.refresh.rescan(), 'the worker\'s pass: the intake limit moves').to.equal(1);
    world.clock.advance(60_000);
    await api.handler.handle({ type: 'AcceptCase', commandId: 'a', caseId: CASES[0]!, actor: clerk('PSB') });
    expect((await worker.handler.load(CASES[0]!)).context.due, 'set under the old calendar').to.not.deep.equal(underA);
    return { world, worker, api };
  }

  it('given a case accepted by such a process after the worker\'s pass, when the case-jobs reactor hands the worker the case, then it is recomputed under the calendar in force, once', async () => {
    const { world, worker } = await acceptedAfterThePass();
    expect(await worker.refresh.rescan(), 'nothing changed since the pass').to.equal(0);

    expect(await worker.refresh.recheck(await worker.handler.load(CASES[0]!))).to.equal(true);
    expect((await worker.handler.load(CASES[0]!)).context.due).to.deep.equal(underA);
    // The next event, or the reconciler's next pass, hands it over again: nothing more moves.
    expect(await worker.refresh.recheck(await worker.handler.load(CASES[0]!))).to.equal(false);
    expect(recorded(world, CASES[0]!, 'DeadlinesRecalculated')).to.have.length(1);
  });

  it('given a case accepted by such a process after the worker\'s pass, when the worker restarts, then its start pass recomputes the case', async () => {
    const { world, worker } = await acceptedAfterThePass();
    const restarted = world.process();
    await restarted.refresh.recalculateOnChange();
    expect((await worker.handler.load(CASES[0]!)).context.due).to.deep.equal(underA);
  });

  it('given a case the open-case list did not hold when the pass ran, when the reactor hands the worker the case, then it is recomputed', async () => {
    const world = deployment();
    const worker = world.process();
    await acceptedCases(world, worker);
    await worker.refresh.recalculateOnChange();
    await world.readStore.transaction((tx) => tx.put(OPEN_CASES, CASES[1]!, { caseId: CASES[1], open: false }));

    world.published = [...base, loaded(A)];
    expect(await worker.refresh.rescan()).to.equal(1);
    expect(await worker.refresh.recheck(await worker.handler.load(CASES[1]!))).to.equal(true);
    for (const caseId of CASES) expect((await worker.handler.load(caseId)).context.due).to.deep.equal(underA);
  });

  it('given the worker not yet on a calendar another process already reads, when that process accepts a case and the reactor hands it to the worker, then the worker reads the calendar first and moves nothing back, and the pass the change owes runs', async () => {
    const world = deployment();
    const worker = world.process();
    const api = world.process();
    await submit(worker, CASES[0]!);
    await worker.handler.handle({ type: 'AcceptCase', commandId: 'a0', caseId: CASES[0]!, actor: clerk('PSB') });
    await listOpen(world, CASES[0]!);
    await worker.refresh.recalculateOnChange();

    world.published = [...base, loaded(A)];
    api.source.rescan(); // published through it: in force there at once
    await submit(api, CASES[1]!);
    await api.handler.handle({ type: 'AcceptCase', commandId: 'a1', caseId: CASES[1]!, actor: clerk('PSB') });
    await listOpen(world, CASES[1]!);
    expect(worker.source.calendar('CN').isWorkingDay('2027-01-04'), 'the worker has not read it').to.equal(true);

    expect(await worker.refresh.recheck(await worker.handler.load(CASES[1]!))).to.equal(false);
    expect(recorded(world, CASES[1]!, 'DeadlinesRecalculated')).to.deep.equal([]);
    expect((await worker.handler.load(CASES[1]!)).context.due).to.deep.equal(underA);
    await worker.refresh.stop(); // the pass it started
    expect((await worker.handler.load(CASES[0]!)).context.due).to.deep.equal(underA);
  });
});
