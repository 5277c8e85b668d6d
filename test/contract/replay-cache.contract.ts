import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ReplayCache } from '../../adapters/gateway/index.ts';

export interface ReplayCacheHarness {
  cache: ReplayCache;
  /** Whether instances over the same store see each other's ids (memory: each process keeps its own). */
  shared: boolean;
  /** A second cache as another instance of the department's gateway opens it. */
  another(): Promise<ReplayCache>;
  /** Whether ids outlive a restart (the cache closed and opened again over the same store). */
  durable: boolean;
  /** Closes the cache and opens it again over the same store, as a restarted gateway would. */
  reopen(): Promise<ReplayCache>;
  cleanup(): Promise<void>;
}

const NOW = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;

/** The behaviour every ReplayCache adapter must show; ids are unique per test and times are given, not read. */
export function replayCacheContract(name: string, open: () => Promise<ReplayCacheHarness>): void {
  describe(`ReplayCache contract: ${name}`, () => {
    let harness: ReplayCacheHarness;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given a token id, then its first use is allowed and every later one before it expires is refused', async () => {
      const jti = randomUUID();
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW)).to.equal(true);
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW + 1000)).to.equal(false);
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW + MINUTE - 1)).to.equal(false);
      expect(await harness.cache.firstUse(randomUUID(), NOW + MINUTE, NOW)).to.equal(true);
    });

    it('given an id whose token has expired, then it may be used again (the token itself is refused as expired anyway)', async () => {
      const jti = randomUUID();
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW)).to.equal(true);
      expect(await harness.cache.firstUse(jti, NOW + 3 * MINUTE, NOW + MINUTE)).to.equal(true);
      expect(await harness.cache.firstUse(jti, NOW + 3 * MINUTE, NOW + 2 * MINUTE)).to.equal(false);
    });

    it('given the same id offered ten times at once, then exactly one use is allowed', async () => {
      const jti = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => harness.cache.firstUse(jti, NOW + MINUTE, NOW)));
      expect(answers.filter(Boolean)).to.have.length(1);
    });

    it('given a second instance, then an id used through one is refused through the other exactly when the store is shared', async () => {
      const other = await harness.another();
      try {
        const jti = randomUUID();
        expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW)).to.equal(true);
        expect(await other.firstUse(jti, NOW + MINUTE, NOW + 10)).to.equal(!harness.shared);
      } finally {
        await other.close();
      }
    });

    it('given a restart, then an id used before it is refused after it exactly when the store is durable', async () => {
      const jti = randomUUID();
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW)).to.equal(true);
      harness.cache = await harness.reopen();
      expect(await harness.cache.firstUse(jti, NOW + MINUTE, NOW + 10)).to.equal(!harness.durable);
      expect(await harness.cache.firstUse(randomUUID(), NOW + MINUTE, NOW + 10)).to.equal(true);
    });

    it('given an answer kept for a request key, then it is returned until it expires, and the first one stays', async () => {
      const key = `ev-${randomUUID()}`;
      expect(await harness.cache.keptAnswer(key, NOW)).to.equal(null);
      await harness.cache.keepAnswer(key, { digest: 'd1', body: '{"status":"found","fields":{"name":"张三"}}' }, NOW + MINUTE, NOW);
      await harness.cache.keepAnswer(key, { digest: 'd2', body: '{"status":"no_match"}' }, NOW + MINUTE, NOW + 10);
      expect(await harness.cache.keptAnswer(key, NOW + 20)).to.deep.equal({ digest: 'd1', body: '{"status":"found","fields":{"name":"张三"}}' });
      expect(await harness.cache.keptAnswer(`ev-${randomUUID()}`, NOW + 20)).to.equal(null);
      expect(await harness.cache.keptAnswer(key, NOW + MINUTE)).to.equal(null);
      await harness.cache.keepAnswer(key, { digest: 'd3', body: '{}' }, NOW + 3 * MINUTE, NOW + MINUTE);
      expect(await harness.cache.keptAnswer(key, NOW + MINUTE + 1)).to.deep.equal({ digest: 'd3', body: '{}' });
    });

    it('given a kept answer, then another instance sees it exactly when the store is shared, and a restart keeps it exactly when durable', async () => {
      const key = `ev-${randomUUID()}`;
      await harness.cache.keepAnswer(key, { digest: 'd', body: '{"status":"no_match"}' }, NOW + MINUTE, NOW);
      const other = await harness.another();
      try {
        expect((await other.keptAnswer(key, NOW + 10)) !== null).to.equal(harness.shared);
      } finally {
        await other.close();
      }
      harness.cache = await harness.reopen();
      expect((await harness.cache.keptAnswer(key, NOW + 10)) !== null).to.equal(harness.durable);
    });
  });
}
