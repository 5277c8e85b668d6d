/** The BullMQ queue (bullmq, ioredis): loaded by the composition root only when REDIS_URL is set. */
export { createBullMQQueue, type BullMQQueueOptions } from './bullmq-queue.ts';
