import { Redis } from 'ioredis';
import { TIMER_QUEUE } from '../../../adapters/reactors/case-jobs-reactor.ts';
import type { Engine } from '../../../runtime/engine.ts';
import { desiredJobs } from '../../../workflows/index.ts';
import type { Problems } from './check-cases.ts';
import type { DrivenCase } from './load.ts';

/** BullMQ scores a delayed job by its due time in ms times 4096 (the low 12 bits order jobs due in the same ms). */
const dueOfScore = (score: string) => Math.floor(Number(score) / 4096);
/** A timer armed this close to its due time is the right one (the delay is computed from each process's clock). */
const DUE_TOLERANCE_MS = 60_000;

/**
 * Every open case has, in Redis, each durable timer its state calls for (derived from its events with the same pure
 * function the reactor uses), armed for the right time. The product has no "list a case's timers" hook, so this
 * reads BullMQ's keys directly: the job hash `<prefix>:timers:<jobId>` and its entry in `<prefix>:timers:delayed`.
 */
export async function checkTimers(checker: Engine, cases: DrivenCase[], redisUrl: string, prefix: string): Promise<{ problems: Problems; expected: number }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const missing: string[] = [];
  const wrongTime: string[] = [];
  let expected = 0;
  const parkedWithoutTimer: string[] = [];
  try {
    for (const driven of cases) {
      if (driven.caseId === null) continue;
      const state = await checker.commands.load(driven.caseId);
      const timers = desiredJobs(state, checker.calendar(state.definition.limits.calendar), checker.config.timeZone).filter((job) => job.kind === 'timer');
      if (timers.length === 0 && ['submitted', 'awaitingSupplement', 'review'].includes(state.status)) parkedWithoutTimer.push(`${driven.caseId} (${state.status})`);
      for (const timer of timers) {
        expected += 1;
        const score = await redis.zscore(`${prefix}:${TIMER_QUEUE}:delayed`, timer.jobId);
        if (score === null) {
          const exists = await redis.exists(`${prefix}:${TIMER_QUEUE}:${timer.jobId}`);
          missing.push(`${timer.jobId} (${exists ? 'job hash present but not delayed' : 'no job'})`);
          continue;
        }
        const off = dueOfScore(score) - timer.runAt.getTime();
        if (Math.abs(off) > DUE_TOLERANCE_MS) wrongTime.push(`${timer.jobId} due ${new Date(dueOfScore(score)).toISOString()}, expected ${timer.runAt.toISOString()}`);
      }
    }
  } finally {
    redis.disconnect();
  }
  const problems: Problems = [];
  if (missing.length > 0) problems.push(`${missing.length} of ${expected} expected timers are not armed in Redis: ${missing.slice(0, 6).join('; ')}`);
  if (wrongTime.length > 0) problems.push(`${wrongTime.length} timers armed for the wrong time: ${wrongTime.slice(0, 4).join('; ')}`);
  // Guards the check itself: parked cases are there to wait on timers, so none expected would mean it tests nothing.
  if (parkedWithoutTimer.length > 0) problems.push(`parked cases with no timer derived (the check would be vacuous): ${parkedWithoutTimer.slice(0, 4).join('; ')}`);
  return { problems, expected };
}
