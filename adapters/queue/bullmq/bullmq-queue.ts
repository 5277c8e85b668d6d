import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker as BullWorker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { isDependencyUnavailable } from '../../dependency-unavailable.ts';
import { assertAddOptions, assertQueueName, assertWorkerOptions } from '../job-id.ts';
import { isPermanentJobError, type AddOptions, type Job, type JobHandler, type JobQueue, type QueueEvents, type Worker, type WorkerOptions } from '../../../domain/ports/queue.ts';
import { COMPLETED_RETENTION, FAILED_RETENTION, type Retention } from '../retention.ts';

export interface BullMQQueueOptions {
  redisUrl: string;
  /** Namespaces every key, so several deployments or test suites share one Redis. */
  prefix?: string;
  completedRetention?: Retention;
  failedRetention?: Retention;
  /**
   * Crash recovery: a job whose worker stops renewing its lock for lockDurationMs is moved back to waiting by the
   * next stalled check (every stalledIntervalMs) and redelivered, at most maxStalledCount times, then failed.
   * BullMQ's defaults (30 s, 30 s, 1) suit production; tests shorten them.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** ping() gives up after this long, so a health check reports an unreachable Redis instead of hanging. */
  pingTimeoutMs?: number;
  /** Connection and worker errors, which have no caller to throw to; by default one line on stderr. */
  onError?: (error: unknown) => void;
}

/** Marks errors this adapter wrapped, so onFailed receives what the handler threw rather than the wrapper. */
const ORIGINAL = Symbol('original error');
type Wrapped = Error & { [ORIGINAL]?: unknown };

function wrap(error: Wrapped, original: unknown): Wrapped {
  error[ORIGINAL] = original;
  return error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toJob<P>(queue: string, job: BullJob): Job<P> {
  return { id: job.id as string, queue, name: job.name, payload: job.data as P, attempt: job.attemptsMade + 1 };
}

/** Resolves with the promise or rejects after ms, leaving no timer behind either way. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export function createBullMQQueue(options: BullMQQueueOptions): JobQueue {
  const prefix = options.prefix ?? 'errand';
  const completed = options.completedRetention ?? COMPLETED_RETENTION;
  const failed = options.failedRetention ?? FAILED_RETENTION;
  const report = options.onError ?? ((error: unknown) => console.error(`[queue:bullmq] ${messageOf(error)}`));
  // While Redis is away every connection reports every reconnect attempt; one report per outage says it all.
  let unreachable = false;
  const onError = (error: unknown) => {
    const outage = isDependencyUnavailable(error);
    if (outage && unreachable) return;
    if (outage) unreachable = true;
    report(error);
  };
  // maxRetriesPerRequest: null makes commands wait through a Redis outage instead of failing after 20 retries:
  // BullMQ requires it for workers (their connections are duplicates of this one), and adds come from reactors
  // that would have to retry anyway. ping() has its own timeout for health checks.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', onError);
  connection.on('ready', () => {
    unreachable = false;
  });
  const queues = new Map<string, Queue>();
  const workers = new Set<BullWorker>();
  const hooks = new Set<Promise<void>>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('BullMQ queue is closed');
  }

  // One Queue per name, created on first use. Queues share the connection; BullMQ leaves shared clients open.
  function queueFor(name: string): Queue {
    assertQueueName(name);
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix });
      queue.on('error', onError);
      queues.set(name, queue);
    }
    return queue;
  }

  function runHook(hook: () => Promise<void> | void): void {
    const running = (async () => {
      try {
        await hook();
      } catch (error) {
        onError(error);
      }
    })();
    hooks.add(running);
    void running.finally(() => hooks.delete(running));
  }

  return {
    kind: 'bullmq',

    async add<P>(queue: string, name: string, payload: P, opts: AddOptions): Promise<void> {
      assertOpen();
      assertAddOptions(opts);
      const target = queueFor(queue);
      if (opts.replaceFinished) {
        // Only a finished job is replaced; waiting, delayed and active ones keep deduplicating.
        const state = await target.getJobState(opts.jobId);
        if (state === 'completed' || state === 'failed') await target.remove(opts.jobId);
      }
      await target.add(name, payload, {
        jobId: opts.jobId,
        delay: opts.delayMs,
        attempts: opts.attempts ?? 1,
        backoff: opts.backoffMs ? { type: 'exponential', delay: opts.backoffMs } : undefined,
        // Finished ids stay for a bounded time so re-adds keep deduplicating: see retention.ts.
        removeOnComplete: { age: completed.ageSeconds, count: completed.count },
        removeOnFail: { age: failed.ageSeconds, count: failed.count },
      });
    },

    async remove(queue: string, jobId: string): Promise<void> {
      assertOpen();
      // Resolves 0 for a job locked by a worker: it is running and cannot be recalled, as the port says.
      await queueFor(queue).remove(jobId);
    },

    process<P>(queue: string, handler: JobHandler<P>, opts: WorkerOptions & QueueEvents = {}): Worker {
      assertOpen();
      assertQueueName(queue);
      assertWorkerOptions(opts);
      const worker = new BullWorker(
        queue,
        async (job: BullJob) => {
          try {
            await handler(toJob<P>(queue, job));
          } catch (error) {
            // BullMQ stops retrying on UnrecoverableError (matched by name), so permanent failures become one.
            if (isPermanentJobError(error)) throw wrap(new UnrecoverableError(messageOf(error)), error);
            throw error instanceof Error ? error : wrap(new Error(messageOf(error)), error);
          }
        },
        {
          connection,
          prefix,
          concurrency: opts.concurrency ?? 1,
          ...(opts.limiter && { limiter: { max: opts.limiter.max, duration: opts.limiter.durationMs } }),
          // Spread only what is set: BullMQ merges options over its defaults, so an explicit undefined would erase them.
          ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
          ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
          ...(options.maxStalledCount !== undefined && { maxStalledCount: options.maxStalledCount }),
        },
      );
      worker.on('error', onError);
      const onFailed = opts.onFailed;
      if (onFailed) {
        // 'failed' fires after every failed attempt, retried or not; only the last one is the job's failure.
        worker.on('failed', (job: BullJob | undefined, error: Wrapped) => {
          if (!job) return;
          const final = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
          if (!final) return;
          const original = ORIGINAL in error ? error[ORIGINAL] : error;
          runHook(() => onFailed({ ...toJob(queue, job), attempt: job.attemptsMade }, original));
        });
      }
      workers.add(worker);
      return {
        async close() {
          workers.delete(worker);
          await worker.close();
          await Promise.allSettled([...hooks]);
        },
      };
    },

    async depth(queue: string): Promise<number> {
      assertOpen();
      return queueFor(queue).getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
    },

    async ping(): Promise<void> {
      assertOpen();
      await within(connection.ping(), options.pingTimeoutMs ?? 2000, 'Redis ping');
    },

    async epoch(): Promise<string> {
      assertOpen();
      // SET NX then GET: the first caller after a flush (in any process) names the new epoch, everyone reads it.
      const key = `${prefix}:errand-epoch`;
      await within(connection.set(key, randomUUID(), 'NX'), options.pingTimeoutMs ?? 2000, 'Redis epoch');
      const value = await within(connection.get(key), options.pingTimeoutMs ?? 2000, 'Redis epoch');
      if (!value) throw new Error('the queue epoch vanished from Redis between two commands');
      return value;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Workers first, letting running handlers finish; then failure hooks, queues, and the shared connection.
      await Promise.allSettled([...workers].map((worker) => worker.close()));
      workers.clear();
      await Promise.allSettled([...hooks]);
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      queues.clear();
      // QUIT waits for a reply that a dead Redis never sends; disconnect() then drops the socket regardless.
      await within(connection.quit(), 1000, 'Redis quit').catch(() => undefined);
      connection.disconnect();
    },
  };
}
