/** The job queue: the port's types, shared job rules, and the in-process queue. BullMQ is in bullmq/. */
export { PermanentJobError, isPermanentJobError } from '../../domain/ports/queue.ts';
export type { AddOptions, Job, JobHandler, JobQueue, QueueEvents, Worker, WorkerOptions } from '../../domain/ports/queue.ts';
export { InvalidJobError } from './job-id.ts';
export { backoffDelayMs } from './backoff.ts';
export { COMPLETED_RETENTION, FAILED_RETENTION } from './retention.ts';
export type { Retention } from './retention.ts';
export { createInProcessQueue } from './in-process/in-process-queue.ts';
export type { InProcessQueueOptions } from './in-process/in-process-queue.ts';
export { createScheduler } from './scheduler.ts';
export type { DueTimer, Scheduler, SchedulerOptions } from './scheduler.ts';

