/** How long finished job ids keep deduplicating re-adds. */
export interface Retention {
  /** Seconds a finished id is kept at least. */
  ageSeconds: number;
  /** At most this many finished ids per queue; the oldest go first. */
  count: number;
}

/**
 * Evidence jobs are keyed by case + item. A reactor that replays events after a restart re-adds every job it can
 * derive, including ones that already completed; keeping completed ids for a day turns those re-adds into no-ops
 * instead of second fetches from another department. The count bound caps memory: a finished job with a small
 * payload measured about 1.4 KB in Redis (so about 140 MB per queue at the cap) and about 120 bytes in the in-process
 * queue, which keeps only the id. Past the bounds, idempotent handlers are the safety net.
 * BullMQ evicts lazily when a later job finishes, so the window is "at least", which is the safe direction.
 */
export const COMPLETED_RETENTION: Retention = { ageSeconds: 24 * 3600, count: 100_000 };

/**
 * Failed jobs stay longer: onFailed has usually recorded the failure in the case, an operator may want to look at
 * the reason, and a blind re-add of a job that just failed for good would only fail again. Work re-derived from the
 * event log adds with replaceFinished, so a failed job whose failure could not be recorded is not kept as a no-op.
 */
export const FAILED_RETENTION: Retention = { ageSeconds: 7 * 24 * 3600, count: 100_000 };
