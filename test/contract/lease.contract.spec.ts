import { spawn } from 'node:child_process';
import { expect } from 'chai';
import pg from 'pg';
import { createInProcessLeaseHub } from '../../adapters/lease/index.ts';
import { createPostgresLeaseManager, lockKey } from '../../adapters/lease/postgres/index.ts';
import { createRedisLeaseManager } from '../../adapters/lease/redis/index.ts';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { leaseContract } from './lease-contract.ts';

leaseContract('in-process', async () => {
  const hub = createInProcessLeaseHub();
  return { manager: () => hub.manager(), cleanup: async () => {} };
});

let db: TestDatabase;
leaseContract('postgres', async () => {
  db = await createTestDatabase('leases');
  return { manager: () => createPostgresLeaseManager({ connectionString: db.url, heartbeatMs: 200 }), cleanup: () => db.drop() };
});

// On the shared Redis, under a prefix of this run's own (never flushed: the flush cases below run on a throwaway server).
const redisPrefix = testPrefix('leases');
leaseContract('redis', async () => ({
  manager: () => createRedisLeaseManager({ url: TEST_REDIS_URL, prefix: redisPrefix, ttlMs: 1500 }),
  cleanup: async () => void (await deleteKeysWithPrefix(TEST_REDIS_URL, redisPrefix)),
}));

describe('Redis leases: expiry, renewal and a Redis that lost its contents', function () {
  this.timeout(60_000);
  let server: ThrowawayRedis;
  const opened: { close(): Promise<void> }[] = [];
  const manager = (prefix: string, ttlMs = 1000) => {
    const created = createRedisLeaseManager({ url: server.url, prefix, ttlMs });
    opened.push(created);
    return created;
  };
  const until = async (what: string, done: () => Promise<boolean>, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  before(async () => (server = await startThrowawayRedis()));
  after(async () => server?.stop());
  afterEach(async () => {
    for (const m of opened.splice(0)) await m.close();
  });

  it('a holder that keeps renewing keeps its lease well past the ttl', async () => {
    const [a, b] = [manager('renew'), manager('renew')];
    const lease = (await a.tryAcquire('case-view'))!;
    // Three ttls of renewals, observed by the rival asking over and over.
    const started = Date.now();
    while (Date.now() - started < 3000) {
      expect(await b.tryAcquire('case-view')).to.equal(null);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lease.held()).to.equal(true);
  });

  it('a killed holder (kill -9: no release, no renewal) loses its lease to another after the ttl, with a larger token', async () => {
    const module = new URL('../../adapters/lease/redis/index.ts', import.meta.url).href;
    const code = `const { createRedisLeaseManager } = await import(${JSON.stringify(module)});
      const lease = await createRedisLeaseManager({ url: ${JSON.stringify(server.url)}, prefix: 'killed', ttlMs: 1000 }).tryAcquire('case-view');
      process.stdout.write('token ' + lease.token + '\\n');
      setInterval(() => undefined, 1000);`;
    const victim = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    victim.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until('the victim to hold the lease', async () => /token \d+\n/.test(output) || victim.exitCode !== null, 60_000);
      const token = Number(/token (\d+)/.exec(output)?.[1]);
      expect(token, output).to.be.greaterThan(0);
      const b = manager('killed');
      expect(await b.tryAcquire('case-view')).to.equal(null);
      victim.kill('SIGKILL');
      let taken: Awaited<ReturnType<typeof b.tryAcquire>> = null;
      await until('the lease to expire', async () => (taken = await b.tryAcquire('case-view')) !== null);
      expect(taken!.token).to.be.greaterThan(token);
    } finally {
      victim.kill('SIGKILL');
    }
  });

  it('after FLUSHALL the holder learns it lost the lease, and the next token is still larger than every earlier one', async () => {
    const [a, b] = [manager('flushed'), manager('flushed')];
    const tokens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lease = (await a.tryAcquire(`job-${i}`))!;
      tokens.push(lease.token);
    }
    const kept = (await a.tryAcquire('case-view'))!;
    tokens.push(kept.token);
    const admin = new Redis(server.url);
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    await kept.lost;
    expect(kept.held()).to.equal(false);
    const next = (await b.tryAcquire('case-view'))!;
    expect(next).to.not.equal(null);
    expect(next.token).to.be.greaterThan(Math.max(...tokens));
  });

  it('a burst of grants right before a FLUSHALL still stays below the first token after it', async () => {
    const a = manager('burst');
    const burst = await Promise.all(Array.from({ length: 200 }, async (_, i) => (await a.tryAcquire(`job-${i}`))!.token));
    const admin = new Redis(server.url);
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    const next = (await manager('burst').tryAcquire('after-flush'))!;
    expect(next.token).to.be.greaterThan(Math.max(...burst));
  });

  it('a holder whose Redis stops answering (hung, partitioned) counts its lease lost within the ttl, not never', async () => {
    const a = manager('frozen', 1000);
    const lease = (await a.tryAcquire('case-view'))!;
    server.freeze();
    try {
      const lost = await Promise.race([lease.lost.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000))]);
      expect(lost, 'the lease was still held 20 s after Redis stopped answering').to.equal(true);
      expect(lease.held()).to.equal(false);
    } finally {
      server.thaw();
    }
    // Redis answers again; the key expired meanwhile or still names the old holder for a moment: either way it comes back.
    let again: Awaited<ReturnType<typeof a.tryAcquire>> = null;
    await until('the lease to be granted again', async () => (again = await a.tryAcquire('case-view').catch(() => null)) !== null);
    expect(again!.token).to.be.greaterThan(lease.token);
  });

  it('after Redis restarts empty, tokens still grow and the pool forms again', async () => {
    const a = manager('restarted');
    const before = (await a.tryAcquire('case-view'))!;
    await server.restart({ crash: true });
    await before.lost;
    let after: Awaited<ReturnType<typeof a.tryAcquire>> = null;
    await until('Redis to answer again', async () => (after = await a.tryAcquire('case-view').catch(() => null)) !== null);
    expect(after!.token).to.be.greaterThan(before.token);
    expect(await a.members()).to.equal(1);
  });
});

describe('PostgreSQL leases: a lost session', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  before(async () => (database = await createTestDatabase('leases_lost')));
  after(async () => database?.drop());

  it('when the server ends the holder’s session, the holder learns it lost the lease and another process takes it', async () => {
    const [a, b] = [0, 1].map(() => createPostgresLeaseManager({ connectionString: database.url, heartbeatMs: 200 }));
    try {
      const lease = (await a!.tryAcquire('case-view'))!;
      expect(await b!.tryAcquire('case-view')).to.equal(null);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        const killed = await admin.query(
          // Advisory locks are server-wide: only this suite's database, not another suite's running at the same time.
          `SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND objid = $1::bigint::oid AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [lockKey('case-view')],
        );
        expect(killed.rowCount).to.equal(1);
      } finally {
        await admin.end();
      }
      await lease.lost;
      expect(lease.held()).to.equal(false);
      const taken = await b!.tryAcquire('case-view');
      expect(taken).to.not.equal(null);
      expect(taken!.token).to.be.greaterThan(lease.token);
      // The manager that lost its session opens a new one and can compete again.
      expect(await a!.members()).to.equal(2);
    } finally {
      await a!.close();
      await b!.close();
    }
  });
});
