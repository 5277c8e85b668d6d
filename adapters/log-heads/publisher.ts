import type { JWK } from 'jose';
import { loadOrCreateSigningKey, platformKeyFiles, readJwksFile } from '../evidence/index.ts';
import type { EventStore } from '../event-store/index.ts';
import { publishHead } from './heads.ts';
import { headSigner, type HeadSigner } from './sign.ts';
import type { LeasedWork } from '../lease/index.ts';

/** How often the worker signs a new head when the log has grown: an attacker's window before a head pins the log. */
export const HEAD_INTERVAL_MS = 60_000;

const UNIQUE_VIOLATION = '23505';

export interface HeadPublisher {
  /** Signs a head now (when the log grew); another worker having just signed the same position is not an error. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** Periodic signed heads, one tick at a time. Failures (a broken chain: refuse to sign) go to onError and are retried. */
export function startHeadPublisher(store: EventStore, signer: HeadSigner, options: { intervalMs?: number; onError?: (error: unknown) => void; keys?: readonly JWK[] } = {}): HeadPublisher {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      try {
        await publishHead(store, signer, undefined, options.keys);
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) options.onError?.(error);
      }
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? HEAD_INTERVAL_MS);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The publisher as a background part of an engine, signing with the platform key under DATA_DIR/evidence. It runs
 * under a lease, in one worker at a time: the heads form one chain, each naming the one before it.
 */
export function logHeadsPart() {
  return async (engine: { stores: { eventStore: EventStore }; config: { dataDir: string }; logger: { error(obj: object, msg: string): void } }) => {
    if (!engine.stores.eventStore.logHeads) return { stop: async () => undefined };
    let publisher: HeadPublisher | null = null;
    const work: LeasedWork = {
      name: LOG_HEADS_WORK,
      async start() {
        const files = platformKeyFiles(engine.config.dataDir);
        const { privateKey, kid } = loadOrCreateSigningKey(files, 'platform');
        // The keys before a rotation too: the latest head may be signed by one of them.
        const keys = (readJwksFile(files.jwks) as { keys?: JWK[] } | undefined)?.keys ?? [];
        publisher = startHeadPublisher(engine.stores.eventStore, headSigner(privateKey, kid), {
          keys,
          onError: (error) => engine.logger.error({ err: error }, 'could not sign a head of the event log'),
        });
        // Not awaited: the first head verifies the whole log from its start, which must not hold up the worker.
        void publisher.tick();
      },
      async stop() {
        await publisher?.stop();
        publisher = null;
      },
    };
    return { stop: () => work.stop(), leased: [work] };
  };
}

/** The lease the head publisher runs under. */
export const LOG_HEADS_WORK = 'log-heads';
