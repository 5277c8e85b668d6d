import { expect } from 'chai';
import type { CatalogueChange, CatalogueStore, EntryWrite } from '../../adapters/catalogue-store/index.ts';

export interface CatalogueStoreHarness {
  store: CatalogueStore;
  /** Another store over the same data, as another process would open it; null where there is none (memory). */
  another(): Promise<CatalogueStore | null>;
  cleanup(): Promise<void>;
}

const admin = { kind: 'admin', id: 'admin-1' };
let counter = 0;
const change = (parts: Partial<CatalogueChange>): CatalogueChange => ({
  commandId: `cmd-${process.pid}-${++counter}`,
  actor: admin,
  at: new Date('2026-12-01T08:00:00Z'),
  guards: [],
  writes: [],
  audit: [],
  ...parts,
});
const service = (id: string, version: number, status: EntryWrite['status'], extra: Record<string, unknown> = {}): EntryWrite => ({
  kind: 'service',
  id,
  version,
  status,
  // Keys in an order no sorting would produce, to check they come back as written.
  body: { version, id, zeta: 1, alpha: { b: 2, a: 1 }, ...extra },
});

/** The behaviour every CatalogueStore adapter must show. */
export function catalogueStoreContract(name: string, open: () => Promise<CatalogueStoreHarness>): void {
  describe(`CatalogueStore contract: ${name}`, function () {
    // Each case opens a fresh store (an embedded PGlite takes seconds to start on a loaded host).
    this.timeout(60_000);
    let harness: CatalogueStoreHarness;
    let store: CatalogueStore;
    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given an empty store, then it has no entries, no audit and head 0', async () => {
      expect(await store.head()).to.equal(0);
      expect(await store.entries()).to.deep.equal([]);
      expect(await store.audit()).to.deep.equal([]);
      expect(await store.entry({ kind: 'service', id: 'x', version: 1 })).to.equal(null);
    });

    it('given a change with writes and audit entries, when committed, then both are there, bodies exactly as written, in sequence order', async () => {
      const result = await store.commit(change({
        guards: [{ kind: 'service', id: 'a', version: 1, status: null }],
        writes: [service('a', 1, 'published'), service('b', 1, 'draft')],
        audit: [{ action: 'seeded', kind: 'catalogue', id: 'all', version: null, details: { services: 2 } }],
      }));
      expect(result).to.include({ ok: true, replayed: false });
      const entries = await store.entries();
      expect(entries.map((e) => [e.id, e.status])).to.deep.equal([['a', 'published'], ['b', 'draft']]);
      expect(JSON.stringify(entries[0]!.body)).to.equal(JSON.stringify(service('a', 1, 'published').body));
      expect(entries[0]!.seq).to.be.lessThan(entries[1]!.seq);
      expect(entries[0]!.updatedBy).to.equal('admin:admin-1');
      expect(entries[0]!.updatedAt).to.equal('2026-12-01T08:00:00.000Z');
      const [audit] = await store.audit();
      expect(audit).to.deep.include({ action: 'seeded', kind: 'catalogue', id: 'all', version: null, details: { services: 2 }, actor: admin, at: '2026-12-01T08:00:00.000Z' });
      expect(await store.head()).to.equal(entries[1]!.seq);
      expect((await store.entries({ afterSeq: entries[0]!.seq })).map((e) => e.id)).to.deep.equal(['b']);
      expect((await store.entries({ status: ['published'] })).map((e) => e.id)).to.deep.equal(['a']);
      expect((await store.entries({ kind: 'service', id: 'b' })).map((e) => e.version)).to.deep.equal([1]);
      expect(await store.entry({ kind: 'service', id: 'b', version: 1 })).to.deep.include({ status: 'draft' });
    });

    it('given a guard that does not hold, when committed, then the conflict is named and nothing at all is written', async () => {
      await store.commit(change({ writes: [service('a', 1, 'draft')] }));
      const head = await store.head();
      const refused = await store.commit(change({
        guards: [{ kind: 'service', id: 'a', version: 1, status: 'approved' }],
        writes: [service('a', 1, 'published'), service('c', 1, 'draft')],
        audit: [{ action: 'published', kind: 'service', id: 'a', version: 1, details: {} }],
      }));
      expect(refused.ok).to.equal(false);
      expect(refused.ok === false && refused.conflicts.join()).to.match(/service "a" v1 is draft, expected approved/);
      expect(await store.head()).to.equal(head);
      expect((await store.entries()).map((e) => [e.id, e.status])).to.deep.equal([['a', 'draft']]);
      expect(await store.audit()).to.deep.equal([]);
    });

    it('given a published entry, when a change would overwrite or remove it, then it is refused and the entry stays as it was', async () => {
      await store.commit(change({ writes: [service('a', 1, 'published')] }));
      const before = await store.entry({ kind: 'service', id: 'a', version: 1 });
      const overwrite = await store.commit(change({ writes: [service('a', 1, 'published', { changed: true })] }));
      const removal = await store.commit(change({ removals: [{ kind: 'service', id: 'a', version: 1 }] }));
      expect(overwrite.ok).to.equal(false);
      expect(removal.ok).to.equal(false);
      expect(await store.entry({ kind: 'service', id: 'a', version: 1 })).to.deep.equal(before);
    });

    it('given a draft, when removed, then it is gone; when the review goes draft -> approved -> published under guards, then each step holds', async () => {
      await store.commit(change({ writes: [service('d', 1, 'draft')] }));
      expect((await store.commit(change({ removals: [{ kind: 'service', id: 'd', version: 1 }] }))).ok).to.equal(true);
      expect(await store.entry({ kind: 'service', id: 'd', version: 1 })).to.equal(null);
      await store.commit(change({ guards: [{ kind: 'service', id: 'd', version: 2, status: null }], writes: [service('d', 2, 'draft')] }));
      await store.commit(change({ guards: [{ kind: 'service', id: 'd', version: 2, status: 'draft' }], writes: [service('d', 2, 'approved')] }));
      await store.commit(change({ guards: [{ kind: 'service', id: 'd', version: 2, status: 'approved' }], writes: [service('d', 2, 'published')] }));
      expect(await store.entry({ kind: 'service', id: 'd', version: 2 })).to.deep.include({ status: 'published' });
    });

    it('given two administrators approving the same draft at once, then exactly one change applies', async () => {
      await store.commit(change({ writes: [service('e', 1, 'draft')] }));
      const approve = (who: string) =>
        store.commit(change({
          actor: { kind: 'admin', id: who },
          guards: [{ kind: 'service', id: 'e', version: 1, status: 'draft' }],
          writes: [service('e', 1, 'approved')],
          audit: [{ action: 'approved', kind: 'service', id: 'e', version: 1, details: {} }],
        }));
      const results = await Promise.all([approve('x'), approve('y'), approve('z')]);
      expect(results.filter((r) => r.ok)).to.have.length(1);
      expect((await store.audit()).filter((a) => a.action === 'approved')).to.have.length(1);
    });

    it('given a guard naming the entry read (its seq), when the entry was saved again since in the same status, then the change is refused and the newer save stays', async () => {
      await store.commit(change({ writes: [service('g', 1, 'draft')] }));
      const read = (await store.entry({ kind: 'service', id: 'g', version: 1 }))!;
      await store.commit(change({ guards: [{ kind: 'service', id: 'g', version: 1, status: 'draft' }], writes: [service('g', 1, 'draft', { edited: true })] }));
      const stale = await store.commit(change({ guards: [{ kind: 'service', id: 'g', version: 1, status: 'draft', seq: read.seq }], writes: [service('g', 1, 'approved')] }));
      expect(stale.ok).to.equal(false);
      expect(await store.entry({ kind: 'service', id: 'g', version: 1 })).to.deep.include({ status: 'draft', body: service('g', 1, 'draft', { edited: true }).body });
      const fresh = (await store.entry({ kind: 'service', id: 'g', version: 1 }))!;
      expect((await store.commit(change({ guards: [{ kind: 'service', id: 'g', version: 1, status: 'draft', seq: fresh.seq }], writes: [service('g', 1, 'approved')] }))).ok).to.equal(true);
    });

    it('given a command id already committed, when sent again, then it answers replayed and writes nothing twice', async () => {
      const first = change({ writes: [service('f', 1, 'draft')], audit: [{ action: 'draft-saved', kind: 'service', id: 'f', version: 1, details: {} }] });
      const result = await store.commit(first);
      const again = await store.commit(first);
      expect(again).to.deep.equal({ ok: true, replayed: true, seq: result.ok ? result.seq : -1 });
      expect(await store.audit()).to.have.length(1);
    });

    it('given many audit entries, then they are filtered by subject and the newest are kept by a limit, oldest first', async () => {
      for (let i = 1; i <= 4; i++) {
        await store.commit(change({ audit: [{ action: `step-${i}`, kind: 'service', id: i % 2 ? 'odd' : 'even', version: i, details: { i } }] }));
      }
      expect((await store.audit({ kind: 'service', id: 'odd' })).map((a) => a.action)).to.deep.equal(['step-1', 'step-3']);
      expect((await store.audit({ limit: 2 })).map((a) => a.action)).to.deep.equal(['step-3', 'step-4']);
    });

    it('given a second store over the same data, then it reads what the first wrote', async () => {
      await store.commit(change({ writes: [service('g', 1, 'published')] }));
      const other = await harness.another();
      if (!other) return; // memory: one process by definition
      try {
        expect((await other.entries()).map((e) => e.id)).to.deep.equal(['g']);
        expect(await other.head()).to.equal(await store.head());
      } finally {
        await other.close();
      }
    });
  });
}
