import { expect } from 'chai';
import type { HitCounter } from '../../adapters/rate-limit/index.ts';

export interface HitCounterHarness {
  counter: HitCounter;
  /** A second counter over the same backing store, as another API process would open it. */
  another(): Promise<HitCounter>;
  cleanup(): Promise<void>;
}

const WINDOW = 60_000;

/** The behaviour every HitCounter adapter must show; keys are unique per test, so none depends on an empty store. */
export function hitCounterContract(name: string, open: () => Promise<HitCounterHarness>): void {
  describe(`HitCounter contract: ${name}`, () => {
    let harness: HitCounterHarness;
    let n = 0;
    const key = () => `client-${process.pid}-${(n += 1)}-${Math.random().toString(36).slice(2, 8)}`;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given no hits, when a client is counted, then 1, with the window ending one window from now', async () => {
      const before = Date.now();
      const first = await harness.counter.hit(key(), WINDOW);
      expect(first.hits).to.equal(1);
      expect(first.resetAt).to.be.within(before + WINDOW - 1000, Date.now() + WINDOW + 1000);
    });

    it('counts up within the window, keeps its end, and counts each client on its own', async () => {
      const [a, b] = [key(), key()];
      const first = await harness.counter.hit(a, WINDOW);
      await harness.counter.hit(a, WINDOW);
      const third = await harness.counter.hit(a, WINDOW);
      expect(third.hits).to.equal(3);
      expect(Math.abs(third.resetAt - first.resetAt)).to.be.below(1000);
      expect((await harness.counter.hit(b, WINDOW)).hits).to.equal(1);
    });

    it('given a window that has ended, then counting starts again at 1', async () => {
      const client = key();
      await harness.counter.hit(client, 100);
      await harness.counter.hit(client, 100);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await harness.counter.hit(client, 100)).hits).to.equal(1);
    });

    it('takes back one hit with undo, never below zero, and forgets a client with reset', async () => {
      const client = key();
      await harness.counter.hit(client, WINDOW);
      await harness.counter.hit(client, WINDOW);
      await harness.counter.undo(client);
      expect((await harness.counter.hit(client, WINDOW)).hits).to.equal(2);
      await harness.counter.reset(client);
      expect((await harness.counter.hit(client, WINDOW)).hits).to.equal(1);
      const unknown = key();
      await harness.counter.undo(unknown);
      await harness.counter.undo(unknown);
      expect((await harness.counter.hit(unknown, WINDOW)).hits).to.equal(1);
    });

    it('keeps one key secret of 32 bytes; a shared counter gives every process the same secret and the same counts', async () => {
      const secret = await harness.counter.keySecret();
      expect(secret).to.have.length(32);
      expect((await harness.counter.keySecret()).equals(secret)).to.equal(true);
      const other = await harness.another();
      try {
        const client = key();
        await harness.counter.hit(client, WINDOW);
        const seen = await other.hit(client, WINDOW);
        if (harness.counter.shared) {
          expect(other.shared).to.equal(true);
          expect((await other.keySecret()).equals(secret)).to.equal(true);
          expect(seen.hits).to.equal(2);
        } else {
          // Per process: another process neither sees these counts nor knows this secret.
          expect((await other.keySecret()).equals(secret)).to.equal(false);
          expect(seen.hits).to.equal(1);
        }
      } finally {
        await other.close();
      }
    });
  });
}
