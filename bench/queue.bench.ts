import { Redis } from 'ioredis';
import { createInProcessQueue, type JobQueue } from '../adapters/queue/index.ts';
import { createBullMQQueue } from '../adapters/queue/bullmq/index.ts';
import { deleteKeysWithPrefix } from '../test/support/redis-server.ts';
import { machineLine } from './support/machine.ts';
import { measurement, rssMb, runFor, type Measurement, type TimedRun } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * Jobs through the queue against what Redis itself does in the same run: pipeline-free SETs, each awaited before
 * the next, by 1 and by 16 clients (what redis-benchmark -P 1 measures). Two shapes per concurrency:
 * - drain: a backlog of DRAIN_JOBS no-op jobs is added first, then timed from the first handler call to the last,
 *   which is the processing rate the published BullMQ figures quote;
 * - closed loop: 2 x concurrency clients each add a job and wait until its handler has run, then add the next,
 *   for DURATION_MS; latency is add() called to handler finished (BullMQ's completion write follows it).
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const DRAIN_JOBS = Number(process.env.QUEUE_BENCH_JOBS ?? 5000);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET_1 = 'raw SET, 1 client';
const SET_16 = 'raw SET, 16 clients';

let runs = 0;

async function drain(queue: JobQueue, label: string, concurrency: number, baseline?: string): Promise<Measurement> {
  const name = `drain-${concurrency}-${++runs}`;
  let inFlight: Promise<void>[] = [];
  for (let i = 0; i < DRAIN_JOBS; i++) {
    inFlight.push(queue.add(name, 'noop', {}, { jobId: `job-${i}` }));
    if (inFlight.length === 64) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  inFlight = [];
  let first = 0;
  let last = 0;
  let handled = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = queue.process(
    name,
    async () => {
      last = performance.now();
      if (handled++ === 0) first = last;
      if (handled === DRAIN_JOBS) finish();
    },
    { concurrency },
  );
  await finished;
  await worker.close();
  const run: TimedRun = { ops: DRAIN_JOBS - 1, seconds: (last - first) / 1000, latenciesMs: [] };
  return measurement(label, run, { unit: 'jobs/s', baseline });
}

async function closedLoop(queue: JobQueue, label: string, concurrency: number, baseline?: string): Promise<Measurement> {
  const name = `loop-${concurrency}-${++runs}`;
  const waiting = new Map<string, () => void>();
  const worker = queue.process(name, async (job) => waiting.get(job.id)?.(), { concurrency });
  // Warm-up, so connection set-up and script loading are not timed.
  await roundTrip(queue, name, waiting, 'warm-up');
  const run = await runFor(concurrency * 2, DURATION_MS, (client, iteration) => roundTrip(queue, name, waiting, `c${client}-${iteration}`));
  await worker.close();
  return measurement(label, run, { unit: 'jobs/s', baseline });
}

async function roundTrip(queue: JobQueue, name: string, waiting: Map<string, () => void>, jobId: string): Promise<void> {
  const handled = new Promise<void>((resolve) => waiting.set(jobId, resolve));
  await queue.add(name, 'noop', {}, { jobId });
  await handled;
  waiting.delete(jobId);
}

async function rawSets(redis: Redis, prefix: string, clients: number, label: string): Promise<Measurement> {
  const run = await runFor(clients, DURATION_MS, async (client, iteration) => {
    await redis.set(`${prefix}:raw:${client}:${iteration % 1000}`, 'x');
  });
  return measurement(label, run, { unit: 'SET/s' });
}

export async function run(): Promise<void> {
  const prefix = `errand-bench-queue-${process.pid}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const info = await redis.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  console.log(machineLine({ redis: redisVersion, bullmq: '6.7', drainJobs: String(DRAIN_JOBS), durationMs: String(DURATION_MS) }));

  const rows: Measurement[] = [];
  const bullmq = createBullMQQueue({ redisUrl: REDIS_URL, prefix });
  const local = createInProcessQueue();
  try {
    rows.push(await rawSets(redis, prefix, 1, SET_1));
    rows.push(await rawSets(redis, prefix, 16, SET_16));
    rows.push(await drain(bullmq, `BullMQ drain, concurrency 1`, 1, SET_1));
    rows.push(await drain(bullmq, `BullMQ drain, concurrency 16`, 16, SET_16));
    rows.push(await closedLoop(bullmq, `BullMQ closed loop, concurrency 1 (2 clients)`, 1, SET_1));
    rows.push(await closedLoop(bullmq, `BullMQ closed loop, concurrency 16 (32 clients)`, 16, SET_16));
    rows.push(await drain(local, `in-process drain, concurrency 1`, 1));
    rows.push(await closedLoop(local, `in-process closed loop, concurrency 16 (32 clients)`, 16));
  } finally {
    await bullmq.close();
    await local.close();
    redis.disconnect();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
  }
  console.log(`\n${markdownTable('Queue: no-op jobs through BullMQ vs raw Redis SET', rows)}`);
  console.log(`\nRSS after the run: ${rssMb().toFixed(0)} MB (drain rows have no latency: their jobs waited in a backlog by design)`);
}
