/**
 * A BullMQ worker in its own process, so a test can SIGKILL it mid-job: the most honest crash there is (no
 * finally blocks, no lock release, sockets cut by the kernel). Spawned by queue-bullmq.int.spec.ts; it does nothing
 * unless QUEUE_CRASH_WORKER is set, so loading it by a glob runs no worker.
 */
import { Redis } from 'ioredis';
import { createBullMQQueue } from '../../adapters/queue/bullmq/index.ts';

const config = process.env.QUEUE_CRASH_WORKER;
if (config) {
  const { redisUrl, prefix, queue, effectKey, lockDurationMs, stalledIntervalMs } = JSON.parse(config) as {
    redisUrl: string;
    prefix: string;
    queue: string;
    effectKey: string;
    lockDurationMs: number;
    stalledIntervalMs: number;
  };
  const effects = new Redis(redisUrl);
  const jobs = createBullMQQueue({ redisUrl, prefix, lockDurationMs, stalledIntervalMs, onError: () => undefined });
  jobs.process(queue, async (job) => {
    // The effect lands, then the process dies before the job is acknowledged: the case redelivery exists for.
    await effects.set(`${effectKey}:${job.id}`, `crashed-worker attempt ${job.attempt}`, 'NX');
    await effects.incr(`${effectKey}:${job.id}:deliveries`);
    process.stdout.write(`effect-written ${job.id}\n`);
    await new Promise(() => undefined);
  });
  process.stdout.write('ready\n');
}
