import type { JobQueue } from '../../adapters/queue/index.ts';

/** What a contract suite gets from each adapter: a fresh queue, and how to leave no trace of it. */
export interface QueueFixture {
  queue: JobQueue;
  cleanup(): Promise<void>;
}

export type QueueFactory = () => Promise<QueueFixture>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls for an observable condition; the generous timeout is a hang guard, never a speed expectation. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A promise a test resolves by hand, to hold a handler mid-job. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

let counter = 0;
/** Queue names unique within a run, so a test never sees another test's jobs even on a shared prefix. */
export function queueName(label: string): string {
  counter += 1;
  return `${label}-${counter}`;
}

/** The rejection reason, or undefined when the promise resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}
