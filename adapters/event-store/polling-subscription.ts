import { isLogRewound, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import type { BatchHandler, SubscribeOptions, Subscription } from '../../domain/ports/event-store.ts';
import type { LocalAppends } from './local-appends.ts';

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_IDLE_MS = 25;
const MAX_BACKOFF_MS = 5_000;

export type ReadAll = (after: Checkpoint, batchSize: number) => Promise<RecordedEvent[]>;

/**
 * Catch-up then live by polling readAll. A full batch means more is waiting, so the next read follows at once; a
 * short one means we are caught up, so we sleep idleMs (or until stop()). Polling instead of LISTEN/NOTIFY on
 * purpose: NOTIFY takes a cluster-wide lock at commit and serialises writers, and readAll already hands out only
 * what may be delivered.
 *
 * Failures (reading or the handler) go to onError and the same checkpoint is retried after a growing pause, so a
 * failed batch is delivered again: handlers get at-least-once delivery per failure, exactly once otherwise.
 */
export function pollingSubscription(
  readAll: ReadAll,
  after: Checkpoint,
  handler: BatchHandler,
  options: SubscribeOptions = {},
  local?: { appends: LocalAppends; idleMs?: number; wakeGapMs?: number },
): Subscription {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  // A store that sees every append (PGlite) may stretch the idle poll: its appends wake the sleep anyway.
  const idleMs = Math.max(options.idleMs ?? DEFAULT_IDLE_MS, local?.idleMs ?? 0);
  let checkpoint = after;
  let stopped = false;
  let wake: (() => void) | undefined;

  // Woken by an append, a subscription still reads at most once per wakeGapMs: under load appends come back to
  // back, and a read per append (each returning a handful of events) would crowd out the appends, on a database
  // with one connection (PGlite) most of all. So an append shortens a sleep, mostly in a quiet moment.
  const wakeGapMs = Math.min(local?.wakeGapMs ?? DEFAULT_IDLE_MS, idleMs);
  let lastRead = 0;
  const pause = (ms: number, onAppend: boolean) =>
    new Promise<void>((resolve) => {
      let timer = setTimeout(done, ms);
      const unlisten = onAppend && local ? local.appends.listen(woken) : undefined;
      function woken() {
        const wait = lastRead + wakeGapMs - Date.now();
        if (wait <= 0) return done();
        clearTimeout(timer);
        timer = setTimeout(done, wait);
      }
      function done() {
        clearTimeout(timer);
        unlisten?.();
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      let full = false;
      try {
        lastRead = Date.now();
        const batch = await readAll(checkpoint, batchSize);
        if (stopped) break;
        if (batch.length > 0) {
          await handler(batch);
          checkpoint = batch[batch.length - 1]!.checkpoint;
        }
        full = batch.length === batchSize;
        failures = 0;
      } catch (error) {
        report(options, error);
        if (isLogRewound(error) && options.onRewound && !stopped) {
          try {
            checkpoint = await options.onRewound(checkpoint);
            continue;
          } catch (failure) {
            report(options, failure);
          }
        }
        failures += 1;
      }
      if (stopped) break;
      // A failing read or handler waits out its backoff; a caught-up one also wakes at this process's next append.
      if (failures > 0) await pause(Math.min(MAX_BACKOFF_MS, (options.idleMs ?? DEFAULT_IDLE_MS) * 2 ** failures), false);
      else if (!full) await pause(idleMs, true);
    }
  };
  const running = loop();

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

/** A throwing onError must not end the subscription loop (nobody awaits it, so it would surface as unhandled). */
export function report(options: SubscribeOptions, error: unknown): void {
  try {
    options.onError?.(error);
  } catch {
    // The subscriber's error hook failed too; carrying on is the only thing left that keeps delivery going.
  }
}
