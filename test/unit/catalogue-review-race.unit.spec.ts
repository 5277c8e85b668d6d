import { expect } from 'chai';
import { createMemoryCatalogueStore } from '../../adapters/catalogue-store/index.ts';
import { readCatalogueDirectory } from '../../adapters/files/index.ts';
import { CatalogueStateError } from '../../domain/catalogue/index.ts';
import type { CatalogueStore } from '../../domain/ports/catalogue-store.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCatalogueAdmin } from '../../runtime/catalogue-admin.ts';
import { createCatalogueRepository } from '../../runtime/catalogue-repository.ts';

/**
 * An approval or a publication is decided on the version an administrator read; an edit saved after that read and
 * before the commit is a different definition, which nobody approved (or approved afresh).
 */
describe('catalogue review decided on a version that was edited meanwhile', () => {
  const SERVICE = 'individual-business-licence';
  const author = { kind: 'admin', id: 'admin-1' };
  const reviewer = { kind: 'admin', id: 'admin-2' };

  async function setUp() {
    const clock = new SimulatedClock('2026-03-02T02:00:00Z');
    const shared = createMemoryCatalogueStore();
    const elsewhere = createCatalogueRepository({ store: shared, seedFiles: () => readCatalogueDirectory(), clock });
    await elsewhere.open();
    const other = createCatalogueAdmin({ repository: elsewhere, clock });
    const current = elsewhere.latest(SERVICE)!;
    const first = { ...current, version: current.version + 1, limits: { ...current.limits, promisedDays: current.limits.promisedDays + 1 } };
    const second = { ...first, limits: { ...first.limits, promisedDays: first.limits.promisedDays + 1 } };
    expect(second.limits.promisedDays).to.not.equal(first.limits.promisedDays);
    await other.saveDraft('service', SERVICE, first, author, 'draft-1');
    return { clock, shared, other, first, second };
  }

  /** The store as the reviewer's process sees it: `meanwhile` runs right after its read of the version. */
  function racing(shared: CatalogueStore, meanwhile: () => Promise<void>): CatalogueStore & { raced: boolean } {
    const store = {
      ...shared,
      raced: false,
      entry: async (key: Parameters<CatalogueStore['entry']>[0]) => {
        const found = await shared.entry(key);
        if (!store.raced && key.kind === 'service' && key.id === SERVICE && found !== null) {
          store.raced = true;
          await meanwhile();
        }
        return found;
      },
    };
    return store;
  }

  it('given the author saves an edit after the reviewer read the draft, when the approval is recorded, then it is refused as changed meanwhile and the edit stays a draft', async () => {
    const { clock, shared, other, first, second } = await setUp();
    const store = racing(shared, async () => {
      await other.saveDraft('service', SERVICE, second, author, 'draft-2');
    });
    const repository = createCatalogueRepository({ store, seedFiles: () => readCatalogueDirectory(), clock });
    await repository.open();
    const refused = await createCatalogueAdmin({ repository, clock })
      .approve('service', SERVICE, first.version, reviewer, 'approve-1')
      .then(() => null, (error: unknown) => error);

    expect(store.raced, 'the race was staged').to.equal(true);
    expect(refused).to.be.instanceOf(CatalogueStateError);
    expect((refused as CatalogueStateError).reason).to.equal('changed-meanwhile');
    const stored = (await shared.entry({ kind: 'service', id: SERVICE, version: first.version }))!;
    expect(stored.status).to.equal('draft');
    expect(stored.body).to.deep.equal(second);
  });

  it('given an approved version is edited and approved again after the publisher read it, when the publication is recorded, then it is refused and the version approved last is not replaced by the earlier one', async () => {
    const { clock, shared, other, first, second } = await setUp();
    await other.approve('service', SERVICE, first.version, reviewer, 'approve-1');
    const store = racing(shared, async () => {
      await other.saveDraft('service', SERVICE, second, author, 'draft-2');
      await other.approve('service', SERVICE, first.version, reviewer, 'approve-2');
    });
    const repository = createCatalogueRepository({ store, seedFiles: () => readCatalogueDirectory(), clock });
    await repository.open();
    const refused = await createCatalogueAdmin({ repository, clock })
      .publish('service', SERVICE, first.version, author, 'publish-1', { reason: 'in force tomorrow' })
      .then(() => null, (error: unknown) => error);

    expect(store.raced, 'the race was staged').to.equal(true);
    expect(refused).to.be.instanceOf(CatalogueStateError);
    expect((refused as CatalogueStateError).reason).to.equal('changed-meanwhile');
    const stored = (await shared.entry({ kind: 'service', id: SERVICE, version: first.version }))!;
    expect(stored.status).to.equal('approved');
    expect(stored.body).to.deep.equal(second);
  });
});
