/**
 * The retry after failed attempt n (1-based) waits base * 2^(n-1): base, 2 base, 4 base... This is BullMQ's
 * built-in 'exponential' strategy without jitter; the in-process adapter uses this function so both agree.
 */
export function backoffDelayMs(baseMs: number | undefined, failedAttempt: number): number {
  if (!baseMs) return 0;
  return Math.round(baseMs * 2 ** (failedAttempt - 1));
}
