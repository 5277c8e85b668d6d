import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { HitCounter } from '../../../domain/ports/rate-limit.ts';

export interface RedisHitCounterOptions {
  url: string;
  /** Namespace of this deployment's keys in Redis (QUEUE_PREFIX). */
  prefix: string;
  /** How long create waits for the first connection before going on without it. */
  connectWaitMs?: number;
  /** Called once when Redis becomes unreachable (not for every request while it stays so), and for connection errors. */
  onError?: (error: unknown) => void;
}

// One round trip, atomic: the window opens with the first hit and ends windowMs later for every process.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

const UNDO = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
if hits > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

interface Scripts {
  errandRateHit(key: string, windowMs: number): Promise<[number, number]>;
  errandRateUndo(key: string): Promise<number>;
}

/**
 * Counts in Redis, shared by every API process of a deployment. Commands are not queued while Redis is away: a
 * rate limiter must answer at once, and the API lets requests through rather than fail while it cannot count.
 * While Redis is away, hit() answers "not counted" (0 hits) at once instead of throwing: a throw would be logged by
 * the limiter on every request, and one line per outage says all there is to say.
 */
export async function createRedisHitCounter(options: RedisHitCounterOptions): Promise<HitCounter> {
  const connection = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  const onError = options.onError ?? (() => undefined);
  // Connection errors repeat on every reconnect attempt: only the first of an outage is passed on.
  let down = false;
  const outage = (error: unknown) => {
    if (down) return;
    down = true;
    onError(error);
  };
  connection.on('error', outage);
  connection.on('ready', () => {
    down = false;
  });
  connection.defineCommand('errandRateHit', { numberOfKeys: 1, lua: HIT });
  connection.defineCommand('errandRateUndo', { numberOfKeys: 1, lua: UNDO });
  const scripts = connection as unknown as Scripts;
  const key = (client: string) => `${options.prefix}:rate:${client}`;
  const secretKey = `${options.prefix}:rate-secret`;
  let secret: Buffer | undefined;

  const wait = AbortSignal.timeout(options.connectWaitMs ?? 2_000);
  await once(connection, 'ready', { signal: wait }).catch(() => undefined);

  return {
    shared: true,
    async hit(client, windowMs) {
      const uncounted = { hits: 0, resetAt: Date.now() + windowMs };
      if (connection.status !== 'ready') {
        outage(new Error(`Redis is ${connection.status}`));
        return uncounted;
      }
      try {
        const [hits, ttl] = await scripts.errandRateHit(key(client), windowMs);
        return { hits, resetAt: Date.now() + ttl };
      } catch (error) {
        outage(error);
        return uncounted;
      }
    },
    async undo(client) {
      if (connection.status === 'ready') await scripts.errandRateUndo(key(client)).catch(outage);
    },
    async reset(client) {
      if (connection.status === 'ready') await connection.del(key(client)).catch(outage);
    },
    async keySecret() {
      if (secret) return secret;
      // The first process to ask sets it; the others read the same one. Only counters' keys depend on it.
      await connection.set(secretKey, randomBytes(32).toString('base64'), 'NX');
      const stored = await connection.get(secretKey);
      if (!stored) throw new Error('the rate-limit key secret vanished from Redis');
      secret = Buffer.from(stored, 'base64');
      return secret;
    },
    async close() {
      connection.disconnect();
    },
  };
}
