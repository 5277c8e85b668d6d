import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../../domain/time/clock.ts';
import { backoffDelayMs } from '../backoff.ts';
import { assertAddOptions, assertQueueName, assertWorkerOptions } from '../job-id.ts';
import { isPermanentJobError, type AddOptions, type Job, type JobHandler, type JobQueue, type QueueEvents, type Worker, type WorkerOptions } from '../../../domain/ports/queue.ts';
import { COMPLETED_RETENTION, FAILED_RETENTION, type Retention } from '../retention.ts';

export interface InProcessQueueOptions {
  /** Stamps finished jobs for retention. Delays, backoff and limiter windows pace real work, so they use real timers. */
  clock?: Clock;
  completedRetention?: Retention;
  failedRetention?: Retention;
  /** Where errors that have no caller go (a throwing onFailed); by default one line on stderr, never the payload. */
  onError?: (error: unknown) => void;
  /** How often a delayed job looks at the wall clock again (default 60 s). */
  wallClockCheckMs?: number;
}

type State = 'waiting' | 'delayed' | 'active';

interface Entry {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  backoffMs: number | undefined;
  failures: number;
  state: State;
  timer?: NodeJS.Timeout;
}

interface LocalWorker {
  handler: JobHandler;
  concurrency: number;
  limiter: WorkerOptions['limiter'];
  onFailed: QueueEvents['onFailed'];
  running: Set<Promise<void>>;
  closed: boolean;
}

interface LocalQueue {
  name: string;
  entries: Map<string, Entry>;
  waiting: string[];
  /** Insertion order is finishing order, which eviction relies on. */
  completed: Map<string, number>;
  failed: Map<string, number>;
  workers: LocalWorker[];
  nextWorker: number;
  window: { start: number; count: number };
  limiterTimer?: NodeJS.Timeout;
  pumpScheduled?: NodeJS.Immediate;
}

/**
 * A delayed job's due time is wall-clock time (a statutory deadline), but setTimeout counts on a monotonic clock that
 * stops while the machine sleeps: after a VM resumed from hours of suspension, or the clock was stepped forward, a
 * job armed for its whole delay fired that much late (a deemed acceptance a day after its day). So a timer never
 * waits longer than this before it looks at the wall clock again. (It also keeps setTimeout, which overflows past
 * 2^31-1 ms, well inside its range.)
 */
const WALL_CLOCK_CHECK_MS = 60_000;

/**
 * The embedded default: no servers, jobs live in this process's memory. Durability comes from the event store,
 * not from here: on start the reactors replay their events and re-add every job they can derive (pending evidence
 * fetches, armed timers), and the jobId dedupe makes those re-adds safe. Semantics mirror the BullMQ adapter.
 */
export function createInProcessQueue(options: InProcessQueueOptions = {}): JobQueue {
  const clock = options.clock ?? systemClock;
  const completedRetention = options.completedRetention ?? COMPLETED_RETENTION;
  const failedRetention = options.failedRetention ?? FAILED_RETENTION;
  const onError = options.onError ?? ((error: unknown) => console.error(`[queue:in-process] ${error instanceof Error ? error.message : String(error)}`));
  const queues = new Map<string, LocalQueue>();
  let closed = false;
  const epoch = randomUUID();
  const wallClockCheckMs = options.wallClockCheckMs ?? WALL_CLOCK_CHECK_MS;

  function queueFor(name: string): LocalQueue {
    assertQueueName(name);
    let q = queues.get(name);
    if (!q) {
      q = { name, entries: new Map(), waiting: [], completed: new Map(), failed: new Map(), workers: [], nextWorker: 0, window: { start: -Infinity, count: 0 } };
      queues.set(name, q);
    }
    return q;
  }

  function evict(finished: Map<string, number>, retention: Retention): void {
    const oldest = clock.now().getTime() - retention.ageSeconds * 1000;
    for (const [id, at] of finished) {
      if (finished.size <= retention.count && at >= oldest) break;
      finished.delete(id);
    }
  }

  function remember(finished: Map<string, number>, retention: Retention, id: string): void {
    finished.delete(id);
    finished.set(id, clock.now().getTime());
    evict(finished, retention);
  }

  function armTimer(entry: Entry, dueAtMs: number, fire: () => void): void {
    const wait = Math.min(Math.max(0, dueAtMs - Date.now()), wallClockCheckMs);
    entry.timer = setTimeout(() => {
      if (Date.now() < dueAtMs) armTimer(entry, dueAtMs, fire);
      else fire();
    }, wait);
  }

  function delay(q: LocalQueue, entry: Entry, ms: number): void {
    entry.state = 'delayed';
    armTimer(entry, Date.now() + ms, () => {
      entry.timer = undefined;
      entry.state = 'waiting';
      q.waiting.push(entry.id);
      schedulePump(q);
    });
  }

  function schedulePump(q: LocalQueue): void {
    if (closed || q.pumpScheduled) return;
    // Deferred so a handler never runs inside the caller's add(), as with a real queue.
    q.pumpScheduled = setImmediate(() => {
      q.pumpScheduled = undefined;
      pump(q);
    });
  }

  function freeWorker(q: LocalQueue): LocalWorker | undefined {
    const n = q.workers.length;
    for (let i = 0; i < n; i++) {
      const worker = q.workers[(q.nextWorker + i) % n];
      if (worker && !worker.closed && worker.running.size < worker.concurrency) {
        q.nextWorker = (q.nextWorker + i + 1) % n;
        return worker;
      }
    }
    return undefined;
  }

  /** Fixed windows opened by the first start, as BullMQ's limiter counter with its expiry works. */
  function takeToken(q: LocalQueue, limiter: WorkerOptions['limiter']): boolean {
    if (!limiter) return true;
    const now = Date.now();
    if (now >= q.window.start + limiter.durationMs) q.window = { start: now, count: 0 };
    if (q.window.count < limiter.max) {
      q.window.count++;
      return true;
    }
    if (!q.limiterTimer) {
      q.limiterTimer = setTimeout(() => {
        q.limiterTimer = undefined;
        pump(q);
      }, q.window.start + limiter.durationMs - now);
    }
    return false;
  }

  function pump(q: LocalQueue): void {
    while (!closed && q.waiting.length > 0) {
      const worker = freeWorker(q);
      if (!worker || !takeToken(q, worker.limiter)) return;
      const entry = q.entries.get(q.waiting.shift() as string);
      if (!entry) continue;
      entry.state = 'active';
      const run = execute(q, worker, entry);
      worker.running.add(run);
      void run.finally(() => {
        worker.running.delete(run);
        schedulePump(q);
      });
    }
  }

  async function execute(q: LocalQueue, worker: LocalWorker, entry: Entry): Promise<void> {
    const job: Job = { id: entry.id, queue: q.name, name: entry.name, payload: entry.payload, attempt: entry.failures + 1 };
    try {
      await worker.handler(job);
      q.entries.delete(entry.id);
      remember(q.completed, completedRetention, entry.id);
    } catch (error) {
      entry.failures++;
      if (isPermanentJobError(error) || entry.failures >= entry.attempts) {
        q.entries.delete(entry.id);
        remember(q.failed, failedRetention, entry.id);
        try {
          await worker.onFailed?.({ ...job, attempt: entry.failures }, error);
        } catch (hookError) {
          onError(hookError);
        }
        return;
      }
      const wait = backoffDelayMs(entry.backoffMs, entry.failures);
      if (wait > 0) {
        delay(q, entry, wait);
      } else {
        entry.state = 'waiting';
        q.waiting.push(entry.id);
      }
    }
  }

  function assertOpen(): void {
    if (closed) throw new Error('in-process queue is closed');
  }

  return {
    kind: 'in-process',

    async add<P>(queue: string, name: string, payload: P, opts: AddOptions): Promise<void> {
      assertOpen();
      assertAddOptions(opts);
      const q = queueFor(queue);
      evict(q.completed, completedRetention);
      evict(q.failed, failedRetention);
      if (opts.replaceFinished && !q.entries.has(opts.jobId)) {
        q.completed.delete(opts.jobId);
        q.failed.delete(opts.jobId);
      }
      if (q.entries.has(opts.jobId) || q.completed.has(opts.jobId) || q.failed.has(opts.jobId)) return;
      const entry: Entry = { id: opts.jobId, name, payload, attempts: opts.attempts ?? 1, backoffMs: opts.backoffMs, failures: 0, state: 'waiting' };
      q.entries.set(entry.id, entry);
      if (opts.delayMs && opts.delayMs > 0) {
        delay(q, entry, opts.delayMs);
      } else {
        q.waiting.push(entry.id);
        schedulePump(q);
      }
    },

    async remove(queue: string, jobId: string): Promise<void> {
      assertOpen();
      const q = queueFor(queue);
      q.completed.delete(jobId);
      q.failed.delete(jobId);
      const entry = q.entries.get(jobId);
      if (!entry || entry.state === 'active') return;
      clearTimeout(entry.timer);
      q.entries.delete(jobId);
      const at = q.waiting.indexOf(jobId);
      if (at >= 0) q.waiting.splice(at, 1);
    },

    process<P>(queue: string, handler: JobHandler<P>, opts: WorkerOptions & QueueEvents = {}): Worker {
      assertOpen();
      assertWorkerOptions(opts);
      const q = queueFor(queue);
      const worker: LocalWorker = {
        handler: handler as JobHandler,
        concurrency: opts.concurrency ?? 1,
        limiter: opts.limiter,
        onFailed: opts.onFailed,
        running: new Set(),
        closed: false,
      };
      q.workers.push(worker);
      schedulePump(q);
      return {
        async close() {
          worker.closed = true;
          q.workers = q.workers.filter((w) => w !== worker);
          await Promise.allSettled([...worker.running]);
        },
      };
    },

    async depth(queue: string): Promise<number> {
      assertOpen();
      return queueFor(queue).entries.size;
    },

    async ping(): Promise<void> {
      assertOpen();
    },

    async epoch(): Promise<string> {
      assertOpen();
      // Jobs live exactly as long as this object: its contents never vanish behind a caller's back.
      return epoch;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Running handlers finish first (their outcome may arm retry timers), then every timer goes.
      await Promise.allSettled([...queues.values()].flatMap((q) => q.workers.flatMap((w) => [...w.running])));
      for (const q of queues.values()) {
        for (const w of q.workers) w.closed = true;
        for (const entry of q.entries.values()) clearTimeout(entry.timer);
        clearTimeout(q.limiterTimer);
        if (q.pumpScheduled) clearImmediate(q.pumpScheduled);
        q.entries.clear();
        q.waiting.length = 0;
      }
      queues.clear();
    },
  };
}
