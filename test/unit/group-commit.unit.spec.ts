import { expect } from 'chai';
import { groupCommit } from '../../adapters/group-commit.ts';

/** A controllable server: every call waits until the test releases it, so what queues is decided by the test. */
function server() {
  const calls: Array<{ kind: 'single' | 'batch'; items: string[]; release(fail?: boolean | Error): void }> = [];
  const call = (kind: 'single' | 'batch', items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        kind,
        items,
        release: (fail) => (fail instanceof Error ? reject(fail) : fail ? reject(new Error(`${kind} refused`)) : resolve(items.map((item) => `${item}:${kind}`))),
      });
    });
  const single = async (item: string) => {
    if (item.startsWith('bad')) throw new Error(`${item} refused`);
    return (await call('single', [item]))[0]!;
  };
  return { calls, single, batch: (items: string[]) => call('batch', items) };
}

/** Lets every pending promise and event-loop turn run, so what was queued has gone out. */
const tick = async () => {
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('group commit', function () {
  it('given a free slot, when one append arrives, then it goes out alone at once', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 2, maxBatch: 10 });
    const result = commit.submit('a');
    await tick();
    expect(db.calls.map((c) => [c.kind, c.items])).to.deep.equal([['single', ['a']]]);
    db.calls[0]!.release();
    expect(await result).to.equal('a:single');
  });

  it('given every slot busy, when more appends arrive, then they wait and go out together as one batch', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 1, maxBatch: 10 });
    const results = ['a', 'b', 'c', 'd'].map((item) => commit.submit(item));
    await tick();
    expect(db.calls.map((c) => c.items)).to.deep.equal([['a']]);
    db.calls[0]!.release();
    await tick();
    expect(db.calls.map((c) => [c.kind, c.items])).to.deep.equal([
      ['single', ['a']],
      ['batch', ['b', 'c', 'd']],
    ]);
    db.calls[1]!.release();
    expect(await Promise.all(results)).to.deep.equal(['a:single', 'b:batch', 'c:batch', 'd:batch']);
  });

  it('given a finished statement, when its caller appends again at once, then that append joins the waiting ones', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 1, maxBatch: 10 });
    const again = ['a', 'b'].map((item) => commit.submit(item).then((done) => Promise.all([done, commit.submit(`${item}2`)])));
    for (let i = 0; i < 3; i += 1) {
      await tick();
      db.calls[i]!.release();
    }
    // Had the slot been handed on at once, b would have gone out alone and a2 after it.
    expect(db.calls.map((c) => c.items)).to.deep.equal([['a'], ['b', 'a2'], ['b2']]);
    expect(await Promise.all(again)).to.deep.equal([
      ['a:single', 'a2:batch'],
      ['b:batch', 'b2:single'],
    ]);
  });

  it('given a long queue, when it drains, then no batch is larger than maxBatch', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 1, maxBatch: 2 });
    const results = ['a', 'b', 'c', 'd', 'e'].map((item) => commit.submit(item));
    for (let i = 0; i < 3; i += 1) {
      await tick();
      db.calls[i]!.release();
    }
    expect(await Promise.all(results)).to.deep.equal(['a:single', 'b:batch', 'c:batch', 'd:batch', 'e:batch']);
    expect(db.calls.map((c) => c.items)).to.deep.equal([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('given a batch the server refuses, then its items are redone alone, one at a time in its slot, and only the bad one fails', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 1, maxBatch: 10 });
    const results = ['a', 'b', 'bad-c', 'd'].map((item) => commit.submit(item).catch((error: Error) => error.message));
    await tick();
    db.calls[0]!.release();
    await tick();
    db.calls[1]!.release(true);
    await tick();
    // The redo holds the batch's slot: never more statements at once than maxInFlight, and a newcomer waits.
    const later = commit.submit('e');
    await tick();
    expect(db.calls.slice(2).map((c) => [c.kind, c.items])).to.deep.equal([['single', ['b']]]);
    db.calls[2]!.release();
    await tick();
    expect(db.calls.slice(3).map((c) => [c.kind, c.items])).to.deep.equal([['single', ['d']]]);
    db.calls[3]!.release();
    await tick();
    expect(db.calls.slice(4).map((c) => [c.kind, c.items])).to.deep.equal([['single', ['e']]]);
    db.calls[4]!.release();
    expect(await Promise.all(results)).to.deep.equal(['a:single', 'b:single', 'bad-c refused', 'd:single']);
    expect(await later).to.equal('e:single');
  });

  it('given a batch that fails because the server cannot be reached, then every item of it fails at once with that error, none redone alone', async function () {
    const db = server();
    const commit = groupCommit(db.single, db.batch, { maxInFlight: 1, maxBatch: 10 });
    const results = ['a', 'b', 'c'].map((item) => commit.submit(item).catch((error: Error) => error.message));
    await tick();
    db.calls[0]!.release();
    await tick();
    expect(db.calls.map((c) => [c.kind, c.items])).to.deep.equal([['single', ['a']], ['batch', ['b', 'c']]]);
    // pg-pool's words when no connection could be had within its bound.
    db.calls[1]!.release(new Error('timeout exceeded when trying to connect'));
    expect(await Promise.all(results)).to.deep.equal(['a:single', 'timeout exceeded when trying to connect', 'timeout exceeded when trying to connect']);
    await tick();
    expect(db.calls).to.have.length(2);
    // The slot is free again: the next append goes out alone as usual.
    const next = commit.submit('d');
    await tick();
    expect(db.calls.map((c) => c.kind)).to.deep.equal(['single', 'batch', 'single']);
    db.calls[2]!.release();
    expect(await next).to.equal('d:single');
  });

  it('given a batch answering with the wrong number of results, then its items are redone alone', async function () {
    const commit = groupCommit(
      async (item: string) => `${item}:single`,
      async () => ['only-one'],
      { maxInFlight: 1, maxBatch: 10 },
    );
    expect(await Promise.all(['a', 'b', 'c'].map((item) => commit.submit(item)))).to.deep.equal(['a:single', 'b:single', 'c:single']);
  });

  it('when the limits are not at least 1, then it refuses to start', function () {
    expect(() => groupCommit(async () => 1, async () => [1], { maxInFlight: 0, maxBatch: 1 })).to.throw(RangeError);
  });
});
