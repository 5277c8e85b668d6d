/**
 * Every date Errand records comes from the clock of the process that records it: a submission's day, a supplement
 * that ran out, a deemed acceptance, an overdue card, a certificate's expiry. A host whose clock is far off (a VM
 * booted with its hardware clock a year ahead, before NTP synchronised it) would record such outcomes for good:
 * timers fall due on its clock, and the deciders take "today" from the same clock. So a process compares its clock
 * with the database server's before it starts, and refuses to start when they disagree by more than
 * MAX_CLOCK_SKEW_MS. An orchestrator restarts it; once the host's clock is right, it starts.
 */
import type { Config } from '../adapters/config/index.ts';
import { postgresServerTime } from './lazy-adapters.ts';

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

/**
 * The check a process runs at start: Date.now against the PostgreSQL of DATABASE_URL or READ_DATABASE_URL; none on the
 * embedded database (one host, one clock) or without PostgreSQL.
 */
export function postgresClockCheck(config: Pick<Config, 'eventStore' | 'readStore'>): ClockCheck | false {
  const url = config.eventStore.kind === 'postgres' ? config.eventStore.url : config.readStore.kind === 'postgres' ? config.readStore.url : null;
  return url === null ? false : { localNow: () => Date.now(), serverNow: () => postgresServerTime(url) };
}

/**
 * At start: refuses a skewed clock (ClockSkewError). A server that does not answer is not this check's to report:
 * the stores, opened next, say so as they always did (one line, within their connect bound).
 */
export async function checkClockAtStart(check: ClockCheck, logger: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void }): Promise<void> {
  try {
    logger.debug({ skewMs: Math.round(await checkClockSkew(check)) }, 'clock checked against the database server');
  } catch (error) {
    if (error instanceof ClockSkewError) throw error;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'clock not checked: the database server did not answer');
  }
}
