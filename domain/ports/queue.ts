export interface Job<P = unknown> {
  id: string;
  queue: string;
  name: string;
  payload: P;
  /** 1 on the first try. */
  attempt: number;
}

export interface AddOptions {
  /**
   * Derived from the work (case + item, case + timer): a second add with the same id while the first is waiting,
   * delayed or active is a no-op, and so is one while a finished job is still retained (see retention.ts).
   * Never contains ':' and is never a bare integer (BullMQ reserves both); adapters reject such ids.
   */
  jobId: string;
  delayMs?: number;
  /** Total tries including the first; 1 when absent. */
  attempts?: number;
  /** Exponential backoff base: the retry after failed attempt n waits backoffMs * 2^(n-1); immediate when absent. */
  backoffMs?: number;
  /**
   * For work re-derived from the event log (a material still fetching, a deadline not yet recorded): a retained
   * finished job with this id (completed or failed) is forgotten and the job added anew, because its effect is not
   * in the log, so it did not happen (its outcome could not be recorded). A pending job still dedupes the add.
   */
  replaceFinished?: boolean;
}

export interface WorkerOptions {
  concurrency?: number;
  /** At most `max` jobs per `durationMs` across all workers of the queue. */
  limiter?: { max: number; durationMs: number };
}

export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

export interface Worker {
  close(): Promise<void>;
}

/** Thrown by a handler to fail the job without further retries. */
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Duck-typed as well as by class, so an error built by another copy of this module still stops retries. */
export function isPermanentJobError(error: unknown): boolean {
  return error instanceof PermanentJobError || (typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true);
}

export interface QueueEvents {
  /** Called once when a job exhausted its attempts or failed permanently. */
  onFailed?: (job: Job, error: unknown) => Promise<void> | void;
}

export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  add<P>(queue: string, name: string, payload: P, options: AddOptions): Promise<void>;
  /**
   * Removes a waiting or delayed job, or forgets a retained finished one so its id can be added again.
   * No-op when absent or active: a running job cannot be recalled, so its handler must check the case itself.
   */
  remove(queue: string, jobId: string): Promise<void>;
  process<P>(queue: string, handler: JobHandler<P>, options?: WorkerOptions & QueueEvents): Worker;
  /** Waiting + delayed + active jobs (with BullMQ also prioritized ones): work not yet finished. */
  depth(queue: string): Promise<number>;
  /** Rejects when the queue cannot take work (server unreachable, or closed). */
  ping(): Promise<void>;
  /**
   * A token naming the store's current contents: it changes when the jobs it held are gone (Redis flushed, or
   * restarted empty), so whoever derives work can re-derive it at once. Read from a sentinel written the first time
   * and checked on every call; rejects while the server is unreachable.
   */
  epoch(): Promise<string>;
  /** Closes workers (letting running handlers finish), then queues and connections; add() rejects afterwards. */
  close(): Promise<void>;
}
