/**
 * Keeps the queue holding every job the event log says should exist. Redis is a cache of work, not its record: a
 * flush, a restart without persistence, or a job that failed while its failure could not be recorded would each
 * leave a case waiting on nothing. So the reconciler re-derives every open case's jobs
 * - at start,
 * - as soon as the queue's epoch changes (its contents were lost; checked every `epochCheckMs`),
 * - every `periodMs` regardless, which catches whatever no signal announces,
 * and retries a pass that failed (store or Redis down) with a growing pause until one goes through.
 * Re-deriving is safe to repeat: pending jobs dedupe by id, and handlers check the case before acting.
 */
export interface ReconcilerOptions {
  /** One full pass; resolves with the number of open cases covered. */
  resync(): Promise<number>;
  /** The queue's epoch (JobQueue.epoch). */
  epoch(): Promise<string>;
  periodMs?: number;
  epochCheckMs?: number;
  /** First pause after a failed pass; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  onPass?: (result: { reason: ReconcileReason; cases: number }) => void;
  onError?: (error: unknown, reason: ReconcileReason) => void;
}

export type ReconcileReason = 'start' | 'epoch-changed' | 'periodic' | 'retry';

export interface Reconciler {
  /** Runs a pass now (e.g. a test or an operator); concurrent calls share the pass in flight. */
  reconcileNow(reason?: ReconcileReason): Promise<number>;
  stop(): Promise<void>;
}

export const RECONCILE_PERIOD_MS = 5 * 60_000;
export const EPOCH_CHECK_MS = 5_000;

export function startReconciler(options: ReconcilerOptions): Reconciler {
  const periodMs = options.periodMs ?? RECONCILE_PERIOD_MS;
  const epochCheckMs = options.epochCheckMs ?? EPOCH_CHECK_MS;
  const retryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let stopped = false;
  let running: Promise<number> | null = null;
  let knownEpoch: string | null = null;
  // Monotonic time (performance.now): a wall clock stepped back (NTP, a resumed VM) would put off every pass, and a
  // retry's backoff, by as long as the step.
  let lastPassAt = 0;
  let failures = 0;
  let retryAt = Number.POSITIVE_INFINITY;
  let wake: (() => void) | null = null;

  async function pass(reason: ReconcileReason): Promise<number> {
    // The epoch is read before the pass: a flush during the pass changes it again and earns another pass.
    const epoch = await options.epoch().catch(() => null);
    const cases = await options.resync();
    if (epoch !== null) knownEpoch = epoch;
    lastPassAt = performance.now();
    options.onPass?.({ reason, cases });
    return cases;
  }

  function reconcileNow(reason: ReconcileReason = 'periodic'): Promise<number> {
    running ??= pass(reason)
      .then(
        (cases) => {
          failures = 0;
          retryAt = Number.POSITIVE_INFINITY;
          return cases;
        },
        (error: unknown) => {
          failures += 1;
          retryAt = performance.now() + Math.min(maxRetryMs, retryMs * 2 ** (failures - 1));
          options.onError?.(error, reason);
          throw error;
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function due(): Promise<ReconcileReason | null> {
    // After a failed pass only the retry runs, when its pause is over: nothing else may cut the backoff short.
    if (retryAt !== Number.POSITIVE_INFINITY) return performance.now() >= retryAt ? 'retry' : null;
    const epoch = await options.epoch().catch(() => null);
    // Unreadable (Redis down): nothing to compare yet; the change shows once it answers again.
    if (epoch !== null && knownEpoch !== null && epoch !== knownEpoch) return 'epoch-changed';
    if (performance.now() - lastPassAt >= periodMs) return 'periodic';
    return null;
  }

  // A pass can hang while Redis is away (queue commands wait for it); stopping must not wait for that pass.
  let signalStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (signalStop = resolve));
  const unlessStopped = (work: Promise<unknown>) => Promise.race([work.catch(() => undefined), stopSignal]);

  const loop = (async () => {
    await unlessStopped(reconcileNow('start'));
    while (!stopped) {
      await sleep(Math.min(epochCheckMs, Math.max(0, retryAt - performance.now())));
      if (stopped) break;
      const reason = await unlessStopped(due());
      if (typeof reason === 'string' && !stopped) await unlessStopped(reconcileNow(reason as ReconcileReason));
    }
  })();

  return {
    reconcileNow,
    async stop() {
      stopped = true;
      signalStop();
      wake?.();
      await loop;
    },
  };
}
