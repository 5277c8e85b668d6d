import { expect } from 'chai';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { START } from '../../domain/events/index.ts';
import { fenceContract } from './read-store-contract-fence.ts';
import { findContract } from './read-store-contract-find.ts';

export interface ReadStoreHarness {
  store: ReadStore;
  /** Drops whatever the factory created (database, schema, prefix). */
  cleanup(): Promise<void>;
}

export type ReadStoreFactory = () => Promise<ReadStoreHarness>;

let counter = 0;
/** Every test writes under its own names, so tests never see each other's documents on a shared store. */
export const unique = (label: string) => `${label}_${process.pid}_${++counter}`;

class Boom extends Error {}

/** The behaviour every ReadStore adapter must show; run once per adapter. */
export function readStoreContract(name: string, factory: ReadStoreFactory): void {
  describe(`ReadStore contract: ${name}`, function () {
    let harness: ReadStoreHarness | undefined;
    const store = () => harness!.store;

    before(async () => {
      harness = await factory();
    });
    after(async () => {
      if (!harness) return;
      await harness.store.close();
      await harness.cleanup();
    });

    describe('documents', () => {
      it('puts, gets and overwrites a document', async () => {
        const c = unique('docs');
        expect(await store().get(c, 'a')).to.equal(null);
        await store().transaction((tx) => tx.put(c, 'a', { n: 1, nested: { list: [1, 'two', null] } }));
        expect(await store().get(c, 'a')).to.deep.equal({ n: 1, nested: { list: [1, 'two', null] } });
        await store().transaction((tx) => tx.put(c, 'a', { n: 2 }));
        expect(await store().get(c, 'a')).to.deep.equal({ n: 2 });
      });

      it('keeps collections apart', async () => {
        const [c1, c2] = [unique('left'), unique('right')];
        await store().transaction((tx) => tx.put(c1, 'same', { side: 'left' }));
        expect(await store().get(c2, 'same')).to.equal(null);
      });

      it('putMany writes every document, the last of a repeated id winning', async () => {
        const c = unique('many');
        const docs = Array.from({ length: 250 }, (_, i) => ({ id: `d${i}`, doc: { i } }));
        await store().transaction((tx) => tx.putMany(c, [...docs, { id: 'd7', doc: { i: 'last' } }]));
        const found = await store().getMany(c, docs.map((d) => d.id));
        expect(found.size).to.equal(250);
        expect(found.get('d249')).to.deep.equal({ i: 249 });
        expect(found.get('d7')).to.deep.equal({ i: 'last' });
      });

      it('putMany with nothing to write is a no-op', async () => {
        const c = unique('empty');
        await store().transaction((tx) => tx.putMany(c, []));
        expect((await store().find(c, {})).total).to.equal(0);
      });

      it('getMany returns only the ids that exist, keyed by id', async () => {
        const c = unique('getmany');
        await store().transaction((tx) => tx.putMany(c, [{ id: 'x', doc: { v: 'x' } }, { id: 'y', doc: { v: 'y' } }]));
        const found = await store().getMany(c, ['x', 'missing', 'y', 'x']);
        expect([...found.keys()].sort()).to.deep.equal(['x', 'y']);
        expect(found.get('y')).to.deep.equal({ v: 'y' });
        expect((await store().getMany(c, [])).size).to.equal(0);
      });

      it('deletes a document and tolerates deleting one that is not there', async () => {
        const c = unique('del');
        await store().transaction((tx) => tx.putMany(c, [{ id: 'a', doc: {} }, { id: 'b', doc: {} }]));
        await store().transaction(async (tx) => {
          await tx.delete(c, 'a');
          await tx.delete(c, 'nope');
        });
        expect(await store().get(c, 'a')).to.equal(null);
        expect(await store().get(c, 'b')).to.deep.equal({});
      });

      it('deletes many documents of one collection at once, ignoring missing ids and other collections', async () => {
        const c = unique('delmany');
        const other = unique('delother');
        await store().transaction(async (tx) => {
          await tx.putMany(c, ['a', 'b', 'c', 'd'].map((id) => ({ id, doc: { id } })));
          await tx.put(other, 'a', { id: 'a' });
        });
        await store().transaction((tx) => tx.deleteMany(c, ['a', 'c', 'nope']));
        await store().transaction((tx) => tx.deleteMany(c, []));
        expect((await store().find(c, { orderBy: [{ field: 'id', direction: 'asc' }] })).items.map((d) => d.id)).to.deep.equal(['b', 'd']);
        expect(await store().get(other, 'a')).to.deep.equal({ id: 'a' });
      });

      it('applies writes of one transaction in order (put then delete ends deleted)', async () => {
        const c = unique('order');
        await store().transaction(async (tx) => {
          await tx.put(c, 'a', { v: 1 });
          await tx.delete(c, 'a');
          await tx.put(c, 'b', { v: 1 });
          await tx.put(c, 'b', { v: 2 });
        });
        expect(await store().get(c, 'a')).to.equal(null);
        expect(await store().get(c, 'b')).to.deep.equal({ v: 2 });
      });

      it('round-trips non-ASCII text, keys and ids', async () => {
        const c = unique('unicode');
        const doc = { 申请人: '张三', note: 'Ünïcødé — 𝄞 emoji 🚀', quote: `it's "quoted" \\ back\\slash`, 键名: 'ключ' };
        await store().transaction((tx) => tx.put(c, '编号-𝄞', doc));
        expect(await store().get(c, '编号-𝄞')).to.deep.equal(doc);
        expect((await store().getMany(c, ['编号-𝄞'])).get('编号-𝄞')).to.deep.equal(doc);
      });

      it('round-trips a document of about 1 MB', async () => {
        const c = unique('large');
        const doc = { rows: Array.from({ length: 8000 }, (_, i) => ({ i, text: `row ${i} `.padEnd(120, 'x') })) };
        expect(JSON.stringify(doc).length).to.be.greaterThan(1_000_000);
        await store().transaction((tx) => tx.putMany(c, [{ id: 'big', doc }]));
        expect(await store().get(c, 'big')).to.deep.equal(doc);
      });

      it('refuses a document that is not a JSON object', async () => {
        const c = unique('bad');
        for (const bad of [null, [], 'text', 42]) {
          let failed = false;
          await store()
            .transaction((tx) => tx.put(c, 'x', bad as never))
            .catch(() => (failed = true));
          expect(failed, JSON.stringify(bad)).to.equal(true);
        }
        expect(await store().get(c, 'x')).to.equal(null);
      });

      it('dropCollection removes every document of that collection only', async () => {
        const [gone, kept] = [unique('gone'), unique('kept')];
        await store().transaction(async (tx) => {
          await tx.putMany(gone, [{ id: '1', doc: {} }, { id: '2', doc: {} }]);
          await tx.put(kept, '1', { k: true });
        });
        await store().dropCollection(gone);
        expect((await store().find(gone, {})).total).to.equal(0);
        expect(await store().get(kept, '1')).to.deep.equal({ k: true });
        await store().dropCollection(unique('never-existed'));
      });
    });

    describe('transactions', () => {
      it('commits documents and checkpoint together and returns what work returned', async () => {
        const [c, p] = [unique('tx'), unique('proj')];
        const result = await store().transaction(async (tx) => {
          await tx.putMany(c, [{ id: 'a', doc: { v: 1 } }]);
          await tx.setCheckpoint(p, { commit: 10n, prepare: 11n });
          return 'done';
        });
        expect(result).to.equal('done');
        expect(await store().get(c, 'a')).to.deep.equal({ v: 1 });
        expect(await store().getCheckpoint(p)).to.deep.equal({ commit: 10n, prepare: 11n });
      });

      it('keeps the hash link of a checkpoint\'s event with it, and a later checkpoint without one drops it', async () => {
        const p = unique('linked');
        const link = 'ab'.repeat(32);
        await store().transaction(async (tx) => tx.setCheckpoint(p, { commit: 3n, prepare: 7n, link }));
        expect(await store().getCheckpoint(p)).to.deep.equal({ commit: 3n, prepare: 7n, link });
        await store().transaction(async (tx) => tx.setCheckpoint(p, { commit: 3n, prepare: 8n }));
        expect(await store().getCheckpoint(p)).to.deep.equal({ commit: 3n, prepare: 8n });
      });

      it('a throw inside transaction() leaves no document, no deletion, no checkpoint and no meta change', async () => {
        const [c, p, key] = [unique('atomic'), unique('proj'), unique('meta')];
        await store().transaction(async (tx) => {
          await tx.put(c, 'kept', { v: 'before' });
          await tx.setCheckpoint(p, { commit: 1n, prepare: 1n });
          await tx.setMeta(key, { version: 1 });
        });
        let caught: unknown;
        try {
          await store().transaction(async (tx) => {
            await tx.putMany(c, [{ id: 'new', doc: { v: 'new' } }, { id: 'kept', doc: { v: 'after' } }]);
            await tx.delete(c, 'kept');
            await tx.setCheckpoint(p, { commit: 2n, prepare: 2n });
            await tx.setMeta(key, { version: 2 });
            throw new Boom('projector failed midway');
          });
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(Boom);
        expect(await store().get(c, 'new')).to.equal(null);
        expect(await store().get(c, 'kept')).to.deep.equal({ v: 'before' });
        expect(await store().getCheckpoint(p)).to.deep.equal({ commit: 1n, prepare: 1n });
        expect(await store().getMeta(key)).to.deep.equal({ version: 1 });
      });

      it('the store stays usable after a failed transaction', async () => {
        const c = unique('after');
        await store()
          .transaction(async () => {
            throw new Boom('first');
          })
          .catch(() => undefined);
        await store().transaction((tx) => tx.put(c, 'a', { ok: true }));
        expect(await store().get(c, 'a')).to.deep.equal({ ok: true });
      });
    });

    describe('checkpoints and meta', () => {
      it('has no checkpoint for a projection never written', async () => {
        expect(await store().getCheckpoint(unique('none'))).to.equal(null);
      });

      it('round-trips checkpoints exactly, including START and values beyond 2^53 and 2^63', async () => {
        const p = unique('cp');
        const values = [START, { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 3n }, { commit: 2n ** 64n - 1n, prepare: 2n ** 63n + 5n }];
        for (const cp of values) {
          await store().transaction((tx) => tx.setCheckpoint(p, cp));
          expect(await store().getCheckpoint(p)).to.deep.equal({ commit: cp.commit, prepare: cp.prepare });
        }
      });

      it('keeps checkpoints per projection', async () => {
        const [a, b] = [unique('a'), unique('b')];
        await store().transaction(async (tx) => {
          await tx.setCheckpoint(a, { commit: 1n, prepare: 2n });
          await tx.setCheckpoint(b, { commit: 3n, prepare: 4n });
        });
        expect(await store().getCheckpoint(a)).to.deep.equal({ commit: 1n, prepare: 2n });
        expect(await store().getCheckpoint(b)).to.deep.equal({ commit: 3n, prepare: 4n });
      });

      it('gets and replaces meta values, inside and outside transactions', async () => {
        const key = unique('projection:meta');
        expect(await store().getMeta(key)).to.equal(null);
        await store().setMeta(key, { activeVersion: 1, note: '版本' });
        expect(await store().getMeta(key)).to.deep.equal({ activeVersion: 1, note: '版本' });
        await store().transaction((tx) => tx.setMeta(key, { activeVersion: 2 }));
        expect(await store().getMeta(key)).to.deep.equal({ activeVersion: 2 });
      });

      it('answers ping', async () => {
        await store().ping();
      });
    });

    findContract(store);
    fenceContract(store);
  });
}
