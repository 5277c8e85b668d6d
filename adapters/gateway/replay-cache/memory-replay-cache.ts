import type { KeptAnswer, ReplayCache } from '../../../domain/ports/replay-cache.ts';

/** One gateway process's own memory: enough while a department runs a single instance. */
export function createMemoryReplayCache(maxEntries = 200_000): ReplayCache {
  const seen = new Map<string, number>();
  const answers = new Map<string, { answer: KeptAnswer; expiresAtMs: number }>();
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
    async keptAnswer(requestKey, nowMs) {
      const kept = answers.get(requestKey);
      return kept && kept.expiresAtMs > nowMs ? { ...kept.answer } : null;
    },
    async keepAnswer(requestKey, answer, expiresAtMs, nowMs) {
      const kept = answers.get(requestKey);
      if (kept && kept.expiresAtMs > nowMs) return;
      if (answers.size >= maxEntries) for (const [key, entry] of answers) if (entry.expiresAtMs <= nowMs) answers.delete(key);
      // Full of live answers: the oldest goes first (a repeat of it would then be fetched again, never refused).
      if (answers.size >= maxEntries) answers.delete(answers.keys().next().value!);
      answers.set(requestKey, { answer: { ...answer }, expiresAtMs });
    },
    async close() {
      seen.clear();
      answers.clear();
    },
  };
}
