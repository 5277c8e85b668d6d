import { expect } from 'chai';
import pino from 'pino';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { CalendarDirectory } from '../../adapters/files/index.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { createCalendarRefresh } from '../../runtime/calendar-refresh.ts';
import type { DecideEnvironment } from '../../workflows/index.ts';

const directory = { versions: () => 'CN:2026,2027', rescan: () => [] } as unknown as CalendarDirectory;
const id = (n: number) => `case-${String(n).padStart(5, '0')}`;

describe('calendar refresh: open cases asked to recompute their due dates', () => {
  it('given cases closing while the pass runs, when a worker recomputes every open case, then no case still open is passed over', async () => {
    const readStore = createMemoryReadStore();
    await readStore.transaction((tx) => tx.putMany(OPEN_CASES, Array.from({ length: 1200 }, (_, n) => ({ id: id(n), doc: { caseId: id(n), open: true } }))));
    const asked: string[] = [];
    const refresh = createCalendarRefresh({
      directory,
      readStore,
      logger: pino({ level: 'silent' }),
      rescanMs: 0,
      load: async () => ({ revision: 4n }),
      environment: () => ({}) as DecideEnvironment,
      async handle(command: CaseCommand) {
        asked.push(command.caseId);
        // Ten cases the pass has already asked close during its first page (their timers ran out, say).
        if (asked.length === 100) await readStore.transaction(async (tx) => { for (let n = 0; n < 10; n += 1) await tx.put(OPEN_CASES, id(n), { caseId: id(n), open: false }); });
      },
    });
    expect(await refresh.recalculateOnChange()).to.equal(1200);
    const stillOpen = (await readStore.find(OPEN_CASES, { where: { open: true }, limit: 2000 })).items.map((doc) => String(doc.caseId));
    expect(stillOpen).to.have.length(1190);
    expect(stillOpen.filter((caseId) => !asked.includes(caseId))).to.deep.equal([]);
    expect(new Set(asked).size).to.equal(asked.length);
  });

  it('given open cases an earlier release already recomputed for these calendars, then the pass asks them again under ids of its own (the rules changed), and a second pass asks under the same ids (replays)', async () => {
    const readStore = createMemoryReadStore();
    await readStore.transaction((tx) => tx.putMany(OPEN_CASES, [0, 1].map((n) => ({ id: id(n), doc: { caseId: id(n), open: true } }))));
    const ids: string[] = [];
    const refresh = createCalendarRefresh({ directory, readStore, logger: pino({ level: 'silent' }), rescanMs: 0, load: async () => ({ revision: 4n }), environment: () => ({}) as DecideEnvironment, handle: async (command: CaseCommand) => void ids.push(command.commandId) });
    await refresh.recalculateOnChange();
    await refresh.recalculateOnChange();
    // Ids of the releases before: without a rules generation, then generation 2 (before calendar-day limits ended off days off).
    const earlierRelease = [0, 1].flatMap((n) => [`recalculate-${id(n)}-CN:2026,2027`, `recalculate-${id(n)}-CN:2026,2027-r2`]);
    expect(ids.filter((commandId) => earlierRelease.includes(commandId))).to.deep.equal([]);
    expect(ids.slice(2)).to.deep.equal(ids.slice(0, 2));
  });
});
