import { expect } from 'chai';
import { createMemoryHitCounter, type HitCounter } from '../../adapters/rate-limit/index.ts';
import { createRedisHitCounter } from '../../adapters/rate-limit/redis/index.ts';
import { startTestApp, testConfig, type TestApp } from '../../api/http/index.ts';
import { deleteKeysWithPrefix, startThrowawayRedis } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';

const BUDGET = 5;

/** Two API processes as a load balancer sees them: the same configuration, each with its own counter connection. */
async function twoProcesses(counters: () => Promise<HitCounter>): Promise<{ apps: TestApp[]; close(): Promise<void> }> {
  const config = testConfig({ RATE_LIMIT_PER_MINUTE: String(BUDGET) });
  const opened: HitCounter[] = [];
  const apps: TestApp[] = [];
  for (let i = 0; i < 2; i += 1) {
    const hitCounter = await counters();
    opened.push(hitCounter);
    apps.push(await startTestApp({ config, hitCounter, routes: () => undefined }));
  }
  return {
    apps,
    async close() {
      for (const app of apps) await app.close();
      for (const counter of opened) await counter.close();
    },
  };
}

const openApi = (app: TestApp) => fetch(`${app.url}/api/v1/openapi.json`);

describe('rate limit across several API processes', function () {
  this.timeout(30_000);

  it('given two API processes counting in Redis, then one budget is spent across both: the request after it gets a 429 from either', async () => {
    const prefix = testPrefix('rate-shared');
    const { apps, close } = await twoProcesses(() => createRedisHitCounter({ url: TEST_REDIS_URL, prefix }));
    try {
      // Alternating, as a round-robin balancer would send them.
      const statuses: number[] = [];
      for (let i = 0; i < BUDGET; i += 1) statuses.push((await openApi(apps[i % 2]!)).status);
      expect(statuses).to.deep.equal(Array(BUDGET).fill(200));
      for (const app of apps) {
        const limited = await openApi(app);
        expect(limited.status).to.equal(429);
        expect(limited.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
        expect(await limited.json()).to.include({ status: 429, type: 'urn:errand:problem:rate-limited', limitPerMinute: BUDGET });
      }
    } finally {
      await close();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    }
  });

  it('given Redis lost its contents and another API process started since, when a client spreads its requests over both, then they still spend one budget', async () => {
    const prefix = testPrefix('rate-flushed');
    const counters = [await createRedisHitCounter({ url: TEST_REDIS_URL, prefix, secretCheckMs: 100 })];
    const config = testConfig({ RATE_LIMIT_PER_MINUTE: String(BUDGET) });
    const apps = [await startTestApp({ config, hitCounter: counters[0]!, routes: () => undefined })];
    try {
      expect((await openApi(apps[0]!)).status).to.equal(200);
      // A Redis restarted without persistence (or flushed): every key of the deployment is gone, the secret too.
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
      counters.push(await createRedisHitCounter({ url: TEST_REDIS_URL, prefix, secretCheckMs: 100 }));
      apps.push(await startTestApp({ config, hitCounter: counters[1]!, routes: () => undefined }));
      expect((await openApi(apps[1]!)).status).to.equal(200);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const statuses: number[] = [];
      for (let i = 0; i < 2 * BUDGET; i += 1) statuses.push((await openApi(apps[i % 2]!)).status);
      expect(statuses.filter((status) => status === 429), 'refused past one budget, whichever process answers').to.have.length.of.at.least(BUDGET - 1);
    } finally {
      for (const app of apps) await app.close();
      for (const counter of counters) await counter.close();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    }
  });

  it('given two API processes each counting in memory, then each grants the whole budget: why several processes need Redis', async () => {
    const { apps, close } = await twoProcesses(async () => createMemoryHitCounter());
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 2 * BUDGET; i += 1) statuses.push((await openApi(apps[i % 2]!)).status);
      expect(statuses).to.deep.equal(Array(2 * BUDGET).fill(200));
      expect((await openApi(apps[0]!)).status).to.equal(429);
    } finally {
      await close();
    }
  });

  it('given Redis unreachable, then requests pass uncounted instead of failing, and the limiter says so in the log', async () => {
    const counter = await createRedisHitCounter({ url: 'redis://127.0.0.1:1', prefix: testPrefix('rate-down'), connectWaitMs: 200 });
    const app = await startTestApp({ config: testConfig({ RATE_LIMIT_PER_MINUTE: '1' }), hitCounter: counter, routes: () => undefined });
    try {
      for (let i = 0; i < 3; i += 1) expect((await openApi(app)).status).to.equal(200);
      const text = app.logs.text();
      expect(text).to.contain('shared key secret unavailable');
      expect(app.logs.lines.some((line) => line.level === 50 || line.level === 40)).to.equal(true);
    } finally {
      await app.close();
      await counter.close();
    }
  });

  it('given the counter\'s Redis crashes and comes back, then hits pass uncounted without an error per request, the outage is reported once, and counting resumes', async () => {
    const redis = await startThrowawayRedis();
    const errors: unknown[] = [];
    const counter = await createRedisHitCounter({ url: redis.url, prefix: testPrefix('rate-outage'), onError: (error) => void errors.push(error) });
    try {
      expect((await counter.hit('client', 60_000)).hits).to.equal(1);
      await redis.stop({ crash: true });
      for (let i = 0; i < 5; i += 1) expect((await counter.hit('client', 60_000)).hits, 'uncounted while Redis is away').to.equal(0);
      expect(errors, 'one report for the outage').to.have.length(1);
      await redis.restart();
      const deadline = Date.now() + 20_000;
      let hits = 0;
      while (hits === 0 && Date.now() < deadline) {
        hits = (await counter.hit('client', 60_000)).hits;
        if (hits === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(hits, 'counting again once Redis is back').to.be.greaterThan(0);
    } finally {
      await counter.close();
      await redis.stop();
    }
  });
});
