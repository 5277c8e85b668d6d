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
  /** How long the key secret is used before it is compared with the one in Redis again (default 10 s). */
  secretCheckMs?: number;
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
  let secretCheckedAt = 0;
  let checking: Promise<Buffer> | null = null;
  const secretCheckMs = options.secretCheckMs ?? 10_000;

  // Redis restarted empty or flushed loses the secret while every running process still holds its own: the next
  // process to start would make another, and a client's requests would be counted under two keys, one budget per
  // secret. So the held secret is put back if the key is missing, and whichever secret Redis holds is adopted.
  async function checkSecret(): Promise<Buffer> {
    try {
      await connection.set(secretKey, secret ? secret.toString('base64') : randomBytes(32).toString('base64'), 'NX');
      const stored = await connection.get(secretKey);
      if (!stored) throw new Error('the rate-limit key secret vanished from Redis');
      secret = Buffer.from(stored, 'base64');
      secretCheckedAt = performance.now();
      return secret;
    } catch (error) {
      // Redis away: keep the secret held, and look again a period later, not on every request meanwhile.
      if (!secret) throw error;
      secretCheckedAt = performance.now();
      return secret;
    }
  }

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
      if (secret && performance.now() - secretCheckedAt < secretCheckMs) return secret;
      // The first process to ask sets it; the others read the same one. Only counters' keys depend on it.
      checking ??= checkSecret().finally(() => (checking = null));
      return checking;
    },
    async close() {
      connection.disconnect();
    },
  };
}
