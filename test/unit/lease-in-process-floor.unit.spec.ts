import { expect } from 'chai';
import { createInProcessLeaseHub } from '../../adapters/lease/index.ts';
import { createMemoryReadStore, FencedWriteError } from '../../adapters/read-store/index.ts';

describe('embedded leases after the clock went back further than the restart took', () => {
  it('given fences an earlier run stored above this run\'s clock, when leases are taken, then each token is above its name\'s fence and the fence is raised, not refused', async () => {
    const readStore = createMemoryReadStore();
    // The earlier run drew tokens from a clock eight hours ahead (a hardware clock read as local time).
    const earlier = Date.now() + 8 * 3_600_000;
    await readStore.raiseFence('case-view', earlier);
    await readStore.raiseFence('notifications', earlier + 5);
    const leases = createInProcessLeaseHub({ after: Date.now(), floor: (name) => readStore.getFence(name) }).manager();
    for (const name of ['case-view', 'notifications', 'case-jobs']) {
      const lease = await leases.tryAcquire(name);
      expect(lease, name).to.not.equal(null);
      const refused = await readStore.raiseFence(name, lease!.token).then(() => null, (error: unknown) => error);
      expect(refused, name).to.not.be.instanceOf(FencedWriteError);
      expect(await readStore.getFence(name)).to.equal(lease!.token);
    }
  });

  it('given no floor, then tokens count up from the start value, as before (a store that does not outlive the process)', async () => {
    const leases = createInProcessLeaseHub({ after: 41 }).manager();
    expect((await leases.tryAcquire('a'))!.token).to.equal(42);
    expect((await leases.tryAcquire('b'))!.token).to.equal(43);
  });
});
