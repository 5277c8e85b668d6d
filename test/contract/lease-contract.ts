import { expect } from 'chai';
import type { LeaseManager } from '../../domain/ports/lease.ts';

export interface LeaseHarness {
  /** One more process of the pool: a manager of its own. */
  manager(): LeaseManager;
  cleanup(): Promise<void>;
}

let counter = 0;
const unique = (label: string) => `${label}-${process.pid}-${++counter}`;

/** The behaviour every LeaseManager adapter must show. */
export function leaseContract(name: string, factory: () => Promise<LeaseHarness>): void {
  describe(`LeaseManager contract: ${name}`, function () {
    this.timeout(30_000);
    let harness: LeaseHarness;
    let managers: LeaseManager[];
    const manager = () => {
      const created = harness.manager();
      managers.push(created);
      return created;
    };

    before(async () => {
      harness = await factory();
    });
    after(async () => {
      await harness?.cleanup();
    });
    beforeEach(() => (managers = []));
    afterEach(async () => {
      for (const m of managers) await m.close();
    });

    it('grants a name to one holder at a time', async () => {
      const [a, b] = [manager(), manager()];
      const job = unique('job');
      const lease = await a.tryAcquire(job);
      expect(lease).to.not.equal(null);
      expect(lease!.name).to.equal(job);
      expect(lease!.held()).to.equal(true);
      expect(await b.tryAcquire(job)).to.equal(null);
      expect(await a.tryAcquire(job)).to.equal(null);
    });

    it('keeps names apart', async () => {
      const [a, b] = [manager(), manager()];
      expect(await a.tryAcquire(unique('one'))).to.not.equal(null);
      expect(await b.tryAcquire(unique('two'))).to.not.equal(null);
    });

    it('after a release another holder gets the name, with a larger fencing token', async () => {
      const [a, b] = [manager(), manager()];
      const job = unique('job');
      const first = (await a.tryAcquire(job))!;
      await first.release();
      expect(first.held()).to.equal(false);
      await first.lost;
      const second = await b.tryAcquire(job);
      expect(second).to.not.equal(null);
      expect(second!.token).to.be.greaterThan(first.token);
      expect(Number.isSafeInteger(second!.token) && second!.token > 0).to.equal(true);
    });

    it('tokens only grow, whichever holder and name', async () => {
      const [a, b] = [manager(), manager()];
      const tokens: number[] = [];
      for (let i = 0; i < 4; i++) {
        const lease = (await (i % 2 ? a : b).tryAcquire(unique('job')))!;
        tokens.push(lease.token);
      }
      expect([...tokens].sort((x, y) => x - y)).to.deep.equal(tokens);
      expect(new Set(tokens).size).to.equal(tokens.length);
    });

    it('counts the processes in the pool, itself included', async () => {
      const a = manager();
      const before = await a.members();
      const b = manager();
      await b.tryAcquire(unique('join'));
      expect(await a.members()).to.equal(before + 1);
      await b.close();
      expect(await a.members()).to.equal(before);
    });

    it('close() loses every lease it holds and frees them for the others', async () => {
      const [a, b] = [manager(), manager()];
      const jobs = [unique('x'), unique('y')];
      const held = await Promise.all(jobs.map(async (job) => (await a.tryAcquire(job))!));
      await a.close();
      await Promise.all(held.map((lease) => lease.lost));
      expect(held.map((lease) => lease.held())).to.deep.equal([false, false]);
      for (const job of jobs) expect(await b.tryAcquire(job)).to.not.equal(null);
    });
  });
}
