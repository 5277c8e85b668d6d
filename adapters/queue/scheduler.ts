import type { Clock } from '../../domain/time/clock.ts';
import type { JobQueue, QueueEvents, Worker, WorkerOptions } from '../../domain/ports/queue.ts';

/** A timer as its handler sees it. dueAt is when it was meant to fire; a handler checks the case, not the clock. */
export interface DueTimer<P = unknown> {
  timerId: string;
  dueAt: Date;
  payload: P;
  attempt: number;
}

export interface Scheduler {
  /**
   * Arms the timer, or re-arms it when one with this id exists (a suspended deadline moves): the latest call wins.
   * Calling it again with the same due time, as reactors do when they re-derive timers on start, changes nothing.
   */
  schedule<P>(timerId: string, dueAt: Date, payload: P): Promise<void>;
  /** Disarms the timer; no-op when absent or already firing. */
  cancel(timerId: string): Promise<void>;
  /** Runs handler for each timer that comes due. Delivery is at least once, so handlers must be idempotent. */
  onDue<P>(handler: (timer: DueTimer<P>) => Promise<void>, options?: WorkerOptions & QueueEvents): Worker;
}

export interface SchedulerOptions {
  queueName?: string;
  /** Tries per firing; a handler that fails (say the event store is briefly down) is retried with backoff. */
  attempts?: number;
  backoffMs?: number;
}

interface TimerPayload {
  dueAt: string;
  payload: unknown;
}

/**
 * Durable timers on any JobQueue: the job id is the timer id (case + timer kind, chosen by the caller), the delay is
 * dueAt - clock.now(). Durability is the queue's (BullMQ) or the event store's (in-process, re-derived on start).
 */
export function createScheduler(queue: JobQueue, clock: Clock, options: SchedulerOptions = {}): Scheduler {
  // Not 'timers': the case-jobs reactor enqueues its own timer payloads there, and one queue means one payload shape.
  const queueName = options.queueName ?? 'scheduler';
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;

  return {
    async schedule<P>(timerId: string, dueAt: Date, payload: P): Promise<void> {
      if (Number.isNaN(dueAt.getTime())) throw new Error(`timer ${timerId} has an invalid due date`);
      // The job id dedupes, and a fired timer's id is retained for a day; removing first lets a moved deadline
      // (or a timer re-armed after firing) replace the old job instead of being swallowed by the dedupe.
      await queue.remove(queueName, timerId);
      const delayMs = Math.max(0, dueAt.getTime() - clock.now().getTime());
      const job: TimerPayload = { dueAt: dueAt.toISOString(), payload };
      await queue.add(queueName, 'timer', job, { jobId: timerId, delayMs, attempts, backoffMs });
    },

    async cancel(timerId: string): Promise<void> {
      await queue.remove(queueName, timerId);
    },

    onDue<P>(handler: (timer: DueTimer<P>) => Promise<void>, workerOptions?: WorkerOptions & QueueEvents): Worker {
      return queue.process<TimerPayload>(
        queueName,
        (job) => handler({ timerId: job.id, dueAt: new Date(job.payload.dueAt), payload: job.payload.payload as P, attempt: job.attempt }),
        workerOptions,
      );
    },
  };
}
