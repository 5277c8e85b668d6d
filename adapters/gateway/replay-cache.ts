/** Token ids seen until their token expires: a captured request cannot be played again within its lifetime. */
export interface ReplayCache {
  /** True the first time an id is offered, false for a replay. */
  firstUse(jti: string, expiresAtMs: number, nowMs: number): boolean;
}

export function createReplayCache(maxEntries = 200_000): ReplayCache {
  const seen = new Map<string, number>();
  function sweep(nowMs: number): void {
    for (const [id, expiry] of seen) {
      if (expiry <= nowMs) seen.delete(id);
    }
  }
  return {
    firstUse(jti, expiresAtMs, nowMs) {
      if (seen.size >= maxEntries) sweep(nowMs);
      const expiry = seen.get(jti);
      if (expiry !== undefined && expiry > nowMs) return false;
      // Still full after a sweep: refuse rather than forget ids that are still valid.
      if (seen.size >= maxEntries) return false;
      seen.set(jti, expiresAtMs);
      return true;
    },
  };
}
