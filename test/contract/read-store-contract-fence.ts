import { expect } from 'chai';
import { FencedWriteError } from '../../adapters/read-store/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';

let counter = 0;
const unique = (label: string) => `${label}_${process.pid}_fence_${++counter}`;

async function refusal(work: Promise<unknown>): Promise<FencedWriteError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(FencedWriteError);
    return error as FencedWriteError;
  }
  expect.fail('expected the write to be refused as fenced off');
}

/** Fencing tokens: a stale lease holder's writes are refused once a newer holder raised the fence. */
export function fenceContract(store: () => ReadStore): void {
  describe('fencing tokens', () => {
    it('has no fence for a projection never fenced, and then lets fenced writes through', async () => {
      const [p, c] = [unique('proj'), unique('docs')];
      expect(await store().getFence(p)).to.equal(null);
      await store().transaction(async (tx) => {
        await tx.fence(p, 3);
        await tx.put(c, 'a', { v: 1 });
      });
      expect(await store().get(c, 'a')).to.deep.equal({ v: 1 });
    });

    it('commits a write fenced with the stored token or a newer one', async () => {
      const [p, c] = [unique('proj'), unique('docs')];
      await store().raiseFence(p, 5);
      expect(await store().getFence(p)).to.equal(5);
      await store().transaction(async (tx) => {
        await tx.fence(p, 5);
        await tx.put(c, 'same', { v: 5 });
      });
      await store().transaction(async (tx) => {
        await tx.fence(p, 6);
        await tx.put(c, 'newer', { v: 6 });
      });
      expect(await store().get(c, 'same')).to.deep.equal({ v: 5 });
      expect(await store().get(c, 'newer')).to.deep.equal({ v: 6 });
    });

    it('refuses a write fenced with an older token, leaving documents, checkpoint and meta as they were', async () => {
      const [p, c, key] = [unique('proj'), unique('docs'), unique('meta')];
      await store().transaction(async (tx) => {
        await tx.put(c, 'kept', { v: 'before' });
        await tx.setCheckpoint(p, { commit: 1n, prepare: 1n });
        await tx.setMeta(key, { version: 1 });
      });
      await store().raiseFence(p, 7);
      const refused = await refusal(
        store().transaction(async (tx) => {
          await tx.fence(p, 6);
          await tx.put(c, 'kept', { v: 'stale' });
          await tx.put(c, 'new', { v: 'stale' });
          await tx.setCheckpoint(p, { commit: 9n, prepare: 9n });
          await tx.setMeta(key, { version: 2 });
        }),
      );
      expect(refused).to.include({ projection: p, token: 6, current: 7 });
      expect(await store().get(c, 'kept')).to.deep.equal({ v: 'before' });
      expect(await store().get(c, 'new')).to.equal(null);
      expect(await store().getCheckpoint(p)).to.deep.equal({ commit: 1n, prepare: 1n });
      expect(await store().getMeta(key)).to.deep.equal({ version: 1 });
    });

    it('never lowers a fence: raising an older token is refused and the newer one stays', async () => {
      const p = unique('proj');
      await store().raiseFence(p, 10);
      await store().raiseFence(p, 10);
      await refusal(store().raiseFence(p, 9));
      expect(await store().getFence(p)).to.equal(10);
      await store().raiseFence(p, 12);
      expect(await store().getFence(p)).to.equal(12);
    });

    it('keeps fences per projection', async () => {
      const [a, b, c] = [unique('a'), unique('b'), unique('docs')];
      await store().raiseFence(a, 20);
      await store().transaction(async (tx) => {
        await tx.fence(b, 1);
        await tx.put(c, 'b', { ok: true });
      });
      expect(await store().get(c, 'b')).to.deep.equal({ ok: true });
      expect(await store().getFence(b)).to.not.equal(20);
    });

    it('lets two transactions with the same token run at once', async () => {
      const [p, c] = [unique('proj'), unique('docs')];
      await store().raiseFence(p, 4);
      const write = (id: string) =>
        store().transaction(async (tx) => {
          await tx.fence(p, 4);
          await tx.put(c, id, { id });
        });
      await Promise.all([write('x'), write('y')]);
      expect((await store().getMany(c, ['x', 'y'])).size).to.equal(2);
    });

    it('once a raise has returned, no write of the older token lands, even one open during the raise', async () => {
      const [p, c] = [unique('proj'), unique('docs')];
      await store().raiseFence(p, 1);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let fenced!: () => void;
      const fencedYet = new Promise<void>((resolve) => (fenced = resolve));
      const stale = store().transaction(async (tx) => {
        await tx.fence(p, 1);
        fenced();
        await held;
        await tx.put(c, 'stale', { v: 1 });
      });
      const staleOutcome = stale.then(
        () => ({ committed: true as const, at: Date.now() }),
        (error: unknown) => ({ committed: false as const, error, at: Date.now() }),
      );
      await fencedYet;
      const raised = store().raiseFence(p, 2).then(() => Date.now());
      // Give the raise a chance to overtake the open transaction if an adapter let it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      const [outcome, raisedAt] = await Promise.all([staleOutcome, raised]);
      if (outcome.committed) expect(outcome.at).to.be.at.most(raisedAt);
      else expect(outcome.error).to.be.instanceOf(FencedWriteError);
      await refusal(store().transaction(async (tx) => {
        await tx.fence(p, 1);
        await tx.put(c, 'later', { v: 1 });
      }));
      expect(await store().get(c, 'later')).to.equal(null);
    });

    it('rejects a token that is not a positive integer', async () => {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        let caught: unknown;
        try {
          await store().raiseFence(unique('proj'), bad);
        } catch (error) {
          caught = error;
        }
        expect(caught, String(bad)).to.be.instanceOf(TypeError);
      }
    });
  });
}
