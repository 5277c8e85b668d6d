export interface Job<P = unknown> {
  id: string;
  queue: string;
  name: string;
  payload: P;
  /** 1 on the first try. */
  attempt: number;
}

export interface AddOptions {
  /** Derived from the work (case + item, case + timer): a second add with the same id while the first exists is a no-op. Never contains ':'. */
  jobId: string;
  delayMs?: number;
  attempts?: number;
  /** Exponential backoff base. */
  backoffMs?: number;
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
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface QueueEvents {
  /** Called once when a job exhausted its attempts or failed permanently. */
  onFailed?: (job: Job, error: unknown) => Promise<void> | void;
}

export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  add<P>(queue: string, name: string, payload: P, options: AddOptions): Promise<void>;
  /** Removes a waiting or delayed job; no-op when absent. */
  remove(queue: string, jobId: string): Promise<void>;
  process<P>(queue: string, handler: JobHandler<P>, options?: WorkerOptions & QueueEvents): Worker;
  /** Waiting + delayed + active jobs. */
  depth(queue: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
