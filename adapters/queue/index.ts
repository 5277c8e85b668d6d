import type { Clock } from '../../domain/time/clock.ts';
import { createBullMQQueue } from './bullmq/bullmq-queue.ts';
import { createInProcessQueue } from './in-process/in-process-queue.ts';
import type { JobQueue } from './port.ts';

export { PermanentJobError, isPermanentJobError } from './port.ts';
export type { AddOptions, Job, JobHandler, JobQueue, QueueEvents, Worker, WorkerOptions } from './port.ts';
export { InvalidJobError } from './job-id.ts';
export { backoffDelayMs } from './backoff.ts';
export { COMPLETED_RETENTION, FAILED_RETENTION } from './retention.ts';
export type { Retention } from './retention.ts';
export { createBullMQQueue } from './bullmq/bullmq-queue.ts';
export type { BullMQQueueOptions } from './bullmq/bullmq-queue.ts';
export { createInProcessQueue } from './in-process/in-process-queue.ts';
export type { InProcessQueueOptions } from './in-process/in-process-queue.ts';
export { createScheduler } from './scheduler.ts';
export type { DueTimer, Scheduler, SchedulerOptions } from './scheduler.ts';

/** The queue the configuration asks for (Config['queue']): BullMQ when REDIS_URL is set, in-process otherwise. */
export function createJobQueue(config: { kind: 'in-process' } | { kind: 'bullmq'; url: string; prefix: string }, clock?: Clock): JobQueue {
  return config.kind === 'bullmq' ? createBullMQQueue({ redisUrl: config.url, prefix: config.prefix }) : createInProcessQueue({ clock });
}
