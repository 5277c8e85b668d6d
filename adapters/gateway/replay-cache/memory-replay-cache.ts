import type { ReplayCache } from '../../../domain/ports/replay-cache.ts';

/** One gateway process's own memory: enough while a department runs a single instance. */
export function createMemoryReplayCache(maxEntries = 200_000): ReplayCache {
  const seen = new Map<string, number>();
  function sweep(nowMs: number): void {
    for (const [id, expiry] of seen) {
      if (expiry <= nowMs) seen.delete(id);
    }
  }
  return {
    async firstUse(jti, expiresAtMs, nowMs) {
      if (seen.size >= maxEntries) sweep(nowMs);
      const expiry = seen.get(jti);
      if (expiry !== undefined && expiry > nowMs) return false;
      // Still full after a sweep: refuse rather than forget ids that are still valid.
      if (seen.size >= maxEntries) return false;
      seen.set(jti, expiresAtMs);
      return true;
    },
    async close() {
      seen.clear();
    },
  };
}
