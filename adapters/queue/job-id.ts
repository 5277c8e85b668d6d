import type { AddOptions, WorkerOptions } from '../../domain/ports/queue.ts';

/** Thrown before anything reaches a queue, so a bad id fails at the caller instead of as a lost job. */
export class InvalidJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

/**
 * Both adapters apply BullMQ's id rules so that code tested on the embedded queue cannot pick ids that BullMQ
 * would refuse (bare integers) or misread (':' splits its Redis keys; BullMQ even accepts 'a:b:c' silently).
 */
export function assertJobId(jobId: string): void {
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidJobError('jobId must be a non-empty string');
  if (jobId.includes(':')) throw new InvalidJobError(`jobId must not contain ':' (got "${jobId}"); join the parts with '-' or '.' instead`);
  if (`${parseInt(jobId, 10)}` === jobId) throw new InvalidJobError(`jobId must not be a bare integer (got "${jobId}"); prefix it with its kind`);
}

export function assertQueueName(queue: string): void {
  if (typeof queue !== 'string' || queue.length === 0 || queue.includes(':')) {
    throw new InvalidJobError(`queue name must be non-empty and without ':' (got "${queue}")`);
  }
}

export function assertAddOptions(options: AddOptions): void {
  assertJobId(options.jobId);
  const { delayMs, attempts, backoffMs } = options;
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) throw new InvalidJobError(`delayMs must be >= 0 (got ${delayMs})`);
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) throw new InvalidJobError(`attempts must be an integer >= 1 (got ${attempts})`);
  if (backoffMs !== undefined && !(Number.isFinite(backoffMs) && backoffMs >= 0)) throw new InvalidJobError(`backoffMs must be >= 0 (got ${backoffMs})`);
}

export function assertWorkerOptions(options: WorkerOptions): void {
  const { concurrency, limiter } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidJobError(`concurrency must be an integer >= 1 (got ${concurrency})`);
  }
  if (limiter && !(Number.isInteger(limiter.max) && limiter.max >= 1 && Number.isFinite(limiter.durationMs) && limiter.durationMs > 0)) {
    throw new InvalidJobError('limiter needs an integer max >= 1 and durationMs > 0');
  }
}
