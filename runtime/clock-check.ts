/**
 * Every date Errand records comes from the clock of the process that records it: a submission's day, a supplement
 * that ran out, a deemed acceptance, an overdue card, a certificate's expiry. A host whose clock is far off (a VM
 * booted with its hardware clock a year ahead, before NTP synchronised it) would record such outcomes for good:
 * timers fall due on its clock, and the deciders take "today" from the same clock. So a process compares its clock
 * with the database server's before it starts, and refuses to start when they disagree by more than
 * MAX_CLOCK_SKEW_MS. An orchestrator restarts it; once the host's clock is right, it starts.
 */
export const MAX_CLOCK_SKEW_MS = 60_000;

export class ClockSkewError extends Error {
  constructor(readonly skewMs: number) {
    const minutes = (Math.abs(skewMs) / 60_000).toFixed(1);
    super(
      `this host's clock is ${minutes} minutes ${skewMs > 0 ? 'ahead of' : 'behind'} the database server's (more than ${MAX_CLOCK_SKEW_MS / 1000} s): ` +
        'dates recorded now would be wrong for good; set the clock right (NTP) and start again',
    );
    this.name = 'ClockSkewError';
  }
}

export interface ClockCheck {
  /** This process's wall clock, ms since the epoch. */
  localNow(): number;
  /** The database server's wall clock, ms since the epoch. */
  serverNow(): Promise<number>;
}

/**
 * The skew between the two clocks, the local reading taken as the midpoint of the round trip; throws ClockSkewError
 * when it exceeds the limit by more than the round trip can explain (a slow answer is not a wrong clock).
 */
export async function checkClockSkew(check: ClockCheck, maxSkewMs = MAX_CLOCK_SKEW_MS): Promise<number> {
  const before = check.localNow();
  const server = await check.serverNow();
  const after = check.localNow();
  const skewMs = (before + after) / 2 - server;
  if (Math.abs(skewMs) - (after - before) / 2 > maxSkewMs) throw new ClockSkewError(skewMs);
  return skewMs;
}
