import { randomBytes } from 'node:crypto';
import type { HitCounter, WindowCount } from '../../domain/ports/rate-limit.ts';

/** Ended windows are swept once this many keys are held, so an address scan cannot grow memory for long. */
const SWEEP_AT = 10_000;

/** Counts in this process's memory: the embedded default, and any deployment with a single API process. */
export function createMemoryHitCounter(options: { now?: () => number } = {}): HitCounter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, WindowCount>();
  const secret = randomBytes(32);
  const sweep = (at: number) => {
    for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
  };
  return {
    shared: false,
    async hit(key, windowMs) {
      const at = now();
      if (windows.size >= SWEEP_AT) sweep(at);
      const open = windows.get(key);
      if (open && open.resetAt > at) {
        open.hits += 1;
        return { ...open };
      }
      const fresh = { hits: 1, resetAt: at + windowMs };
      windows.set(key, fresh);
      return { ...fresh };
    },
    async undo(key) {
      const open = windows.get(key);
      if (open && open.resetAt > now() && open.hits > 0) open.hits -= 1;
    },
    async reset(key) {
      windows.delete(key);
    },
    async keySecret() {
      return secret;
    },
    async close() {
      windows.clear();
    },
  };
}
