import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import type { Checkpoint } from '../../domain/events/index.ts';
import type { ViewDoc } from '../../projections/index.ts';
import type { Changes } from '../../projections/runner/index.ts';
import { WritePipeline } from '../../projections/runner/index.ts';

const at = (n: number): Checkpoint => ({ commit: BigInt(n), prepare: BigInt(n) });
const changes = (docs: Record<string, ViewDoc | null>): Changes => new Map([['cases', new Map(Object.entries(docs))]]);

/** A memory store whose transactions wait for the test to let them commit, and can be told to fail. */
function gatedStore() {
  const real = createMemoryReadStore();
  const gates: Array<{ open(): void; fail(): void }> = [];
  const store: ReadStore = {
    ...real,
    transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>) {
      return real.transaction(async (tx) => {
        const result = await work(tx);
        await new Promise<void>((resolve, reject) => gates.push({ open: resolve, fail: () => reject(new Error('write refused')) }));
        return result;
      });
    },
  };
  return { store, real, gates };
}

const turns = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('rebuild write pipeline', function () {
  function pipeline(store: ReadStore, committed: Checkpoint[], depth = 2) {
    return new WritePipeline<Checkpoint>({
      readStore: store,
      version: 2,
      depth,
      record: (tx, checkpoint) => tx.setCheckpoint('p@2', checkpoint),
      onCommitted: (checkpoint) => committed.push(checkpoint),
    });
  }

  it('given a batch still being written, when the next batch loads a document it changed, then it gets that version as a copy', async function () {
    const { store, gates } = gatedStore();
    const writes = pipeline(store, []);
    const doc = { id: 'c1', status: 'accepted', steps: ['drafted', 'accepted'] };
    await writes.submit(changes({ c1: doc }), at(1), 1);
    const loaded = await writes.load('cases', ['c1', 'c2']);
    expect(loaded.get('c1')).to.deep.equal(doc);
    expect(loaded.get('c1')).to.not.equal(doc);
    expect(loaded.has('c2')).to.equal(false);
    await turns();
    gates.forEach((gate) => gate.open());
    await writes.drain();
  });

  it('given a load under way, when the batch holding its document commits meanwhile, then the load still has the document', async function () {
    const { store, gates } = gatedStore();
    let releaseRead!: () => void;
    const held = new Promise<void>((resolve) => (releaseRead = resolve));
    const slowReads: ReadStore = {
      ...store,
      getMany: async (collection, ids) => {
        await held;
        return store.getMany(collection, ids);
      },
    };
    const writes = pipeline(slowReads, []);
    await writes.submit(changes({ c1: { v: 1 } }), at(1), 1);
    const loading = writes.load('cases', ['c1']);
    await turns();
    gates[0]!.open();
    await writes.drain();
    releaseRead();
    expect(await loading).to.deep.equal(new Map([['c1', { v: 1 }]]));
  });

  it('given two open batches, then they commit in batch order and the stored documents and checkpoint are the last ones', async function () {
    const { store, real, gates } = gatedStore();
    const committed: Checkpoint[] = [];
    const writes = pipeline(store, committed);
    await writes.submit(changes({ c1: { v: 1 }, c2: { v: 1 } }), at(1), 2);
    await writes.submit(changes({ c1: { v: 2 }, c3: { v: 2 } }), at(2), 2);
    await turns();
    expect(gates).to.have.length(1);
    gates[0]!.open();
    await turns();
    expect(committed).to.deep.equal([at(1)]);
    gates[1]!.open();
    await writes.drain();
    expect(committed).to.deep.equal([at(1), at(2)]);
    expect([...(await real.getMany('cases_v2', ['c1', 'c2', 'c3']))]).to.deep.equal([
      ['c1', { v: 2 }],
      ['c2', { v: 1 }],
      ['c3', { v: 2 }],
    ]);
    expect(await real.getCheckpoint('p@2')).to.deep.equal(at(2));
    expect(await writes.load('cases', ['c1'])).to.deep.equal(new Map([['c1', { v: 2 }]]));
  });

  it('given depth batches open, when one more is submitted, then it waits for the oldest to commit', async function () {
    const { store, gates } = gatedStore();
    const writes = pipeline(store, [], 1);
    await writes.submit(changes({ c1: { v: 1 } }), at(1), 1);
    let second = false;
    const next = writes.submit(changes({ c1: { v: 2 } }), at(2), 1).then(() => (second = true));
    await turns();
    expect(second).to.equal(false);
    gates[0]!.open();
    await next;
    expect(second).to.equal(true);
    await turns();
    gates[1]!.open();
    await writes.drain();
  });

  it('given a batch whose write fails, then the batch after it fails too, and after a reset nothing unwritten is served', async function () {
    const { store, real, gates } = gatedStore();
    const committed: Checkpoint[] = [];
    const writes = pipeline(store, committed);
    await writes.submit(changes({ c1: { v: 1 } }), at(1), 1);
    await writes.submit(changes({ c1: { v: 2 }, c2: { v: 2 } }), at(2), 1);
    await turns();
    gates[0]!.fail();
    let error: unknown;
    await writes.drain().catch((caught: unknown) => (error = caught));
    expect((error as Error).message).to.equal('write refused');
    await writes.reset();
    expect(committed).to.deep.equal([]);
    expect(await real.getCheckpoint('p@2')).to.equal(null);
    expect((await writes.load('cases', ['c1', 'c2'])).size).to.equal(0);
  });
});
