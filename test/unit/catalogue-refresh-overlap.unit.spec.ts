import { expect } from 'chai';
import { createMemoryCatalogueStore } from '../../adapters/catalogue-store/index.ts';
import { readCatalogueDirectory } from '../../adapters/files/index.ts';
import type { CatalogueEntry, CatalogueStore } from '../../domain/ports/catalogue-store.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCatalogueAdmin } from '../../runtime/catalogue-admin.ts';
import { createCatalogueRepository } from '../../runtime/catalogue-repository.ts';

const ADMIN = { kind: 'admin' as const, id: 'admin-other-process' };

/**
 * One process refreshes its catalogue from many places at once (every clerk request past the refresh time, the
 * follower timer, administrators' commands), each reading what came after the last number it had folded. Two reads
 * in flight together can answer out of order: the one that started before another process's commit comes back last.
 */
describe('catalogue refreshes of one process overlapping', () => {
  it('given a read taken before a duty was withdrawn answering after a read that saw the withdrawal, when both are folded, then the clerk keeps no withdrawn duty', async () => {
    const clock = new SimulatedClock('2026-03-02T02:00:00Z');
    const shared = createMemoryCatalogueStore();
    const other = createCatalogueRepository({ store: shared, seedFiles: () => readCatalogueDirectory(), clock });
    await other.open();
    const otherAdmin = createCatalogueAdmin({ repository: other, clock });

    // The first read of this process after `hold` is armed is answered with what the store held then, but only
    // once `release` is called.
    let hold = false;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken: (() => void) | null = null;
    const readTaken = new Promise<void>((resolve) => (taken = resolve));
    const slow: CatalogueStore = {
      ...shared,
      entries: async (query) => {
        const found: CatalogueEntry[] = await shared.entries(query);
        if (hold) {
          hold = false;
          taken?.();
          await held;
        }
        return found;
      },
    };
    const mine = createCatalogueRepository({ store: slow, seedFiles: () => readCatalogueDirectory(), clock });
    await mine.open();

    await otherAdmin.setDuties({ staffId: 'clerk-overlap', department: 'PSB', roles: ['approver'] }, ADMIN, 'duties-set-1');
    hold = true;
    const early = mine.refresh();
    await readTaken;
    await otherAdmin.removeDuties('clerk-overlap', ADMIN, 'duties-removed-1');
    await mine.refresh();
    expect(mine.duties('clerk-overlap'), 'withdrawn once the later read is folded').to.equal(undefined);

    release();
    await early;
    await mine.refresh();
    expect(mine.duties('clerk-overlap'), 'still withdrawn after the earlier read is folded').to.equal(undefined);
  });
});
