import { expect } from 'chai';
import { createInProcessLeaseHub } from '../../adapters/lease/index.ts';
import { startLeaseKeeper, type LeaseKeeper, type LeasedWork } from '../../adapters/lease/index.ts';
import { planLeases } from '../../adapters/lease/index.ts';

const JOBS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const quiet = { info: () => {}, warn: () => {} };

describe('lease plan: how many leases a worker holds', () => {
  it('given a worker alone, when it plans, then it tries every job', () => {
    const plan = planLeases({ order: JOBS, held: new Set(), members: 1 });
    expect(plan.quota).to.equal(7);
    expect(plan.candidates).to.deep.equal(JOBS);
    expect(plan.release).to.deep.equal([]);
  });

  it('given three workers and seven jobs, then each holds at most three, and the quotas cover every job', () => {
    const plan = planLeases({ order: JOBS, held: new Set(['a']), members: 3 });
    expect(plan.quota).to.equal(3);
    expect(plan.quota * 3).to.be.at.least(JOBS.length);
    expect(plan.candidates).to.deep.equal(['b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('given a worker holding everything when two more join, then it gives up the most recently taken extras', () => {
    const plan = planLeases({ order: JOBS, held: new Set(JOBS), members: 3 });
    expect(plan.release).to.deep.equal(['d', 'e', 'f', 'g']);
    expect(plan.candidates).to.deep.equal([]);
  });

  it('given a worker at its quota, then it neither takes nor gives up anything', () => {
    const plan = planLeases({ order: JOBS, held: new Set(['a', 'b', 'c']), members: 3 });
    expect(plan).to.deep.equal({ quota: 3, release: [], candidates: [] });
  });

  it('given a member count of zero (a stale read), then it plans as if alone rather than divide by zero', () => {
    expect(planLeases({ order: JOBS, held: new Set(), members: 0 }).quota).to.equal(7);
  });
});

/** A job that records whether it runs, and with which token. */
function job(name: string, log: string[]): LeasedWork & { token: number | null } {
  const work = {
    name,
    token: null as number | null,
    async start(token: number) {
      work.token = token;
      log.push(`start ${name} ${token}`);
    },
    async stop() {
      work.token = null;
      log.push(`stop ${name}`);
    },
  };
  return work;
}

describe('lease keeper: several workers share the leased jobs', () => {
  let keepers: LeaseKeeper[];
  beforeEach(() => (keepers = []));
  afterEach(async () => {
    for (const keeper of keepers) await keeper.stop();
  });

  /** A pool of workers on one hub; `join` adds one more later. */
  const workers = (count: number) => {
    const hub = createInProcessLeaseHub();
    const pool = { managers: [] as ReturnType<typeof hub.manager>[], runs: [] as Array<ReturnType<typeof job>[]>, keepers: [] as LeaseKeeper[], join };
    function join() {
      const leases = hub.manager();
      const work = JOBS.map((name) => job(name, []));
      const keeper = startLeaseKeeper({ leases, work, logger: quiet, intervalMs: 60_000 });
      keepers.push(keeper);
      pool.managers.push(leases);
      pool.runs.push(work);
      pool.keepers.push(keeper);
    }
    for (let i = 0; i < count; i++) join();
    return pool;
  };
  const running = (runs: Array<Array<{ name: string; token: number | null }>>) => runs.map((jobs) => jobs.filter((j) => j.token !== null).map((j) => j.name).sort());

  it('given three workers, when each has had its rounds, then every job runs exactly once and none runs more than three', async () => {
    const { keepers: ks, runs } = workers(3);
    for (let round = 0; round < 3; round++) for (const keeper of ks) await keeper.tick();
    const owned = running(runs);
    expect(owned.flat().sort()).to.deep.equal(JOBS);
    for (const mine of owned) expect(mine.length).to.be.at.most(3);
  });

  it('given a worker that took everything first, when the others join, then it hands jobs over and no job runs twice', async () => {
    const { keepers: ks, runs, join } = workers(1);
    await ks[0]!.tick();
    expect(running(runs)[0]).to.deep.equal(JOBS);
    join();
    join();
    for (let round = 0; round < 3; round++) for (const keeper of ks) await keeper.tick();
    const owned = running(runs);
    expect(owned.flat().sort()).to.deep.equal(JOBS);
    for (const mine of owned) expect(mine.length).to.be.at.most(3);
  });

  it('given a worker that stops, when the others take their next round, then its jobs run again with newer tokens', async () => {
    const { keepers: ks, runs, managers } = workers(3);
    for (let round = 0; round < 3; round++) for (const keeper of ks) await keeper.tick();
    const orphaned = running(runs)[0]!;
    const oldTokens = new Map(runs[0]!.filter((j) => j.token !== null).map((j) => [j.name, j.token!]));
    await ks[0]!.stop();
    await managers[0]!.close();
    for (const keeper of ks.slice(1)) await keeper.tick();
    const owned = running(runs);
    expect(owned[0]).to.deep.equal([]);
    expect(owned.flat().sort()).to.deep.equal(JOBS);
    for (const name of orphaned) {
      const taken = [...runs[1]!, ...runs[2]!].find((j) => j.name === name && j.token !== null)!;
      expect(taken.token).to.be.greaterThan(oldTokens.get(name)!);
    }
  });

  it('given a lease that is lost, then its job is stopped at once, without waiting for a round', async () => {
    const hub = createInProcessLeaseHub();
    const leases = hub.manager();
    const log: string[] = [];
    const keeper = startLeaseKeeper({ leases, work: [job('a', log)], logger: quiet, intervalMs: 60_000 });
    keepers.push(keeper);
    await keeper.tick();
    expect(keeper.held()).to.deep.equal(['a']);
    await leases.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.deep.equal(['start a 1', 'stop a']);
    expect(keeper.held()).to.deep.equal([]);
  });

  it('given a job whose start fails, then its lease is given up for another worker to try', async () => {
    const hub = createInProcessLeaseHub();
    const failing: LeasedWork = { name: 'a', start: async () => Promise.reject(new Error('no database')), stop: async () => {} };
    const keeper = startLeaseKeeper({ leases: hub.manager(), work: [failing], logger: quiet, intervalMs: 60_000 });
    keepers.push(keeper);
    await keeper.tick();
    expect(keeper.held()).to.deep.equal([]);
    const other = hub.manager();
    expect(await other.tryAcquire('a')).to.not.equal(null);
    await other.close();
  });
});
