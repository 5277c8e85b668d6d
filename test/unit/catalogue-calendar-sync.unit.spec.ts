import { expect } from 'chai';
import { createMemoryCatalogueStore } from '../../adapters/catalogue-store/index.ts';
import { CALENDAR_DATA_DIR, loadYears, readCatalogueDirectory } from '../../adapters/files/index.ts';
import type { CatalogueStore } from '../../domain/ports/catalogue-store.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCatalogueAdmin } from '../../runtime/catalogue-admin.ts';
import { createCatalogueRepository } from '../../runtime/catalogue-repository.ts';

/**
 * Two processes starting together: both publish the calendar folder's years, one wins. The loser must still build
 * its calendars from what the winner published, or it counts working days with no holidays at all.
 */
describe('calendar files published by two processes starting together', () => {
  it('given another process publishing the same years between this one reading the store and committing, when the commit loses, then this process still holds those years', async () => {
    const clock = new SimulatedClock('2026-03-02T02:00:00Z');
    const shared = createMemoryCatalogueStore();
    const years = loadYears(CALENDAR_DATA_DIR);
    expect(years.length).to.be.greaterThan(0);

    const other = createCatalogueRepository({ store: shared, seedFiles: () => readCatalogueDirectory(), clock });
    await other.open();
    // The other process's publication is its own command (another id), so this one's commit is a conflict, not a replay.
    const publishElsewhere = async () => {
      const result = await shared.commit({
        commandId: 'calendar-files-from-the-other-process',
        actor: { kind: 'system', id: 'calendar-dir' },
        at: clock.now(),
        guards: years.map(({ year }) => ({ kind: 'calendar', id: `${year.region}-${year.year}`, version: 1, status: null })),
        writes: years.map(({ year }) => ({ kind: 'calendar', id: `${year.region}-${year.year}`, version: 1, status: 'published' as const, body: year })),
        audit: [],
      });
      expect(result.ok).to.equal(true);
    };

    // This process's view of the store: the other process publishes right after this one looked for calendars.
    let raced = false;
    const racing: CatalogueStore = {
      ...shared,
      entries: async (query) => {
        const found = await shared.entries(query);
        if (!raced && query?.kind === 'calendar') {
          raced = true;
          await publishElsewhere();
        }
        return found;
      },
    };
    const mine = createCatalogueRepository({ store: racing, seedFiles: () => readCatalogueDirectory(), clock });
    await mine.open();
    await createCatalogueAdmin({ repository: mine, clock }).syncCalendarFiles(years);

    expect(raced, 'the race was staged').to.equal(true);
    expect(mine.calendarYears().map((l) => `${l.year.region}-${l.year.year}`).sort()).to.deep.equal(years.map((l) => `${l.year.region}-${l.year.year}`).sort());
  });

  it('given another process publishing the same years after this one refreshed but before it looked for calendars, when there is nothing left to publish, then this process still holds those years', async () => {
    const clock = new SimulatedClock('2026-03-02T02:00:00Z');
    const shared = createMemoryCatalogueStore();
    const years = loadYears(CALENDAR_DATA_DIR);
    const other = createCatalogueRepository({ store: shared, seedFiles: () => readCatalogueDirectory(), clock });
    await other.open();
    let raced = false;
    const racing: CatalogueStore = {
      ...shared,
      entries: async (query) => {
        // The other process commits just before this one asks which calendars the store holds: it finds them all.
        if (!raced && query?.kind === 'calendar') {
          raced = true;
          await createCatalogueAdmin({ repository: other, clock }).syncCalendarFiles(years);
        }
        return shared.entries(query);
      },
    };
    const mine = createCatalogueRepository({ store: racing, seedFiles: () => readCatalogueDirectory(), clock });
    await mine.open();
    expect(await createCatalogueAdmin({ repository: mine, clock }).syncCalendarFiles(years)).to.deep.equal([]);

    expect(raced, 'the race was staged').to.equal(true);
    expect(mine.calendarYears().map((l) => `${l.year.region}-${l.year.year}`).sort()).to.deep.equal(years.map((l) => `${l.year.region}-${l.year.year}`).sort());
  });
});
