import type { Logger } from 'pino';
import type { Config } from '../adapters/config/index.ts';
import { createInProcessLeaseHub, type LeaseManager } from '../adapters/lease/index.ts';
import { createInProcessQueue, type JobQueue } from '../adapters/queue/index.ts';
import { createMemoryHitCounter, type HitCounter } from '../adapters/rate-limit/index.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import type { Clock } from '../domain/time/clock.ts';
import { createBullMQQueue, createPostgresLeaseManager, createRedisHitCounter, createRedisLeaseManager } from './lazy-adapters.ts';

/*
 * The services every process shares with the others, as the configuration asks for them: leases, the rate-limit
 * counter and the job queue (the composition root's, kept apart from the engine it composes).
 */

/**
 * PostgreSQL advisory locks when a PostgreSQL database is configured (the read store's first: fencing tokens guard it);
 * Redis keys with expiry for EventStoreDB events with no PostgreSQL (or LEASES=redis); otherwise the process is alone
 * (PGlite is one process).
 */
export async function openLeases(config: Config, logger: Logger, readStore: ReadStore): Promise<LeaseManager> {
  const onError = (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'lease session lost; its jobs stop until leases are taken again');
  if (config.leases === 'redis' && config.queue.kind === 'bullmq') {
    return createRedisLeaseManager({ url: config.queue.url, prefix: config.queue.prefix, onError: oncePerMinute(onError) });
  }
  const url = config.readStore.kind === 'postgres' ? config.readStore.url : config.eventStore.kind === 'postgres' ? config.eventStore.url : null;
  // One process per embedded folder (its lock file): tokens drawn from the clock in milliseconds, and never below the
  // token an earlier run stored as the fence (the clock may have gone back further than the restart took).
  if (config.leases !== 'postgres' || !url) return createInProcessLeaseHub({ after: Date.now(), floor: (name) => readStore.getFence(name) }).manager();
  return createPostgresLeaseManager({ connectionString: url, onError });
}

/** Redis errors repeat on every reconnect attempt; one line a minute says enough. */
const REDIS_ERROR_EVERY_MS = 60_000;

function oncePerMinute(report: (error: unknown) => void): (error: unknown) => void {
  let lastLogged = 0;
  return (error) => {
    if (Date.now() - lastLogged < REDIS_ERROR_EVERY_MS) return;
    lastLogged = Date.now();
    report(error);
  };
}

export async function openHitCounter(config: Config, logger: Logger): Promise<HitCounter> {
  if (config.queue.kind !== 'bullmq') return createMemoryHitCounter();
  const onError = (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate-limit counter cannot reach Redis; requests pass uncounted meanwhile');
  return createRedisHitCounter({ url: config.queue.url, prefix: config.queue.prefix, onError: oncePerMinute(onError) });
}

/** The queue the configuration asks for: BullMQ when REDIS_URL is set (imported only then), in-process otherwise. */
export async function openJobQueue(config: Config['queue'], clock?: Clock): Promise<JobQueue> {
  if (config.kind === 'in-process') return createInProcessQueue({ clock });
  return createBullMQQueue({ redisUrl: config.url, prefix: config.prefix });
}
