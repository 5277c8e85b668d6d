import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { HeldLease, type LeaseManager } from '../../../domain/ports/lease.ts';

export interface RedisLeaseOptions {
  url: string;
  /** Namespace of this deployment's keys in Redis (QUEUE_PREFIX); the leases live under `<prefix>:leases:`. */
  prefix: string;
  /**
   * How long a lease outlives its holder's last renewal (default 5000 ms): the takeover time after a worker is killed.
   * A holder that cannot renew for this long counts its leases as lost.
   */
  ttlMs?: number;
  /** How often held leases and membership are renewed (default ttlMs / 3). */
  renewEveryMs?: number;
  onError?: (error: unknown) => void;
}

// Every script reads the time from the Redis server, so holders on machines whose clocks disagree still agree on
// expiry and on the floor of the fencing tokens. Microseconds: 16 digits, a safe integer until the year 2255.
const NOW = `local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now = math.floor(now_us / 1000)`;

/**
 * KEYS: lease, token counter, members. ARGV: holder id, ttl. Returns the token, or 0 when someone holds the lease.
 * The token is the larger of the counter + 1 and the server clock in microseconds. Scripts run one at a time and each
 * takes more than a microsecond, so the counter never runs ahead of the clock: every token is at most the server time
 * it was granted at, and after a FLUSHALL or a restart that emptied Redis (the counter is gone, the clock is not) the
 * next token is still larger than every earlier one, as long as the server's clock does not go back.
 */
const ACQUIRE = `${NOW}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
if token < now_us then
  token = now_us
  redis.call('SET', KEYS[2], string.format('%d', token))
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. string.format('%d', token), 'PX', ARGV[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
return token`;

/** KEYS: lease. ARGV: holder value, ttl. 1 when still ours and extended, 0 when gone (expired, flushed, taken). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** KEYS: lease. ARGV: holder value. Deletes the lease only while it is still ours. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: members. ARGV: holder id, ttl. Renews this holder's membership, drops expired ones, counts the rest. */
const MEMBERS = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

interface Scripts {
  errandLeaseAcquire(lease: string, counter: string, members: string, holder: string, ttlMs: number): Promise<number>;
  errandLeaseRenew(lease: string, value: string, ttlMs: number): Promise<number>;
  errandLeaseRelease(lease: string, value: string): Promise<number>;
  errandLeaseMembers(members: string, holder: string, ttlMs: number): Promise<number>;
}

interface Held {
  lease: HeldLease;
  /** What the lease key holds while it is ours: holder id and token. */
  value: string;
  /** Local clock when the last renewal was confirmed (or the lease granted). */
  renewedAt: number;
}

/**
 * Leases as Redis keys with an expiry, for deployments with no PostgreSQL to hold advisory locks (EventStoreDB events
 * with MongoDB read models). A lease key names its holder and is renewed every `renewEveryMs`; a killed worker's
 * leases expire `ttlMs` after its last renewal, and a holder that finds its key gone (expired, flushed, taken) or
 * cannot reach Redis for `ttlMs` counts the lease as lost. That window is why fencing matters here: a holder that
 * stalled past its expiry may still write for a moment after its successor started, and the read store refuses
 * those writes by token. Membership is a sorted set of holders scored by their expiry.
 */
export function createRedisLeaseManager(options: RedisLeaseOptions): LeaseManager {
  const ttlMs = options.ttlMs ?? 5000;
  const renewEveryMs = options.renewEveryMs ?? Math.max(50, Math.floor(ttlMs / 3));
  if (renewEveryMs >= ttlMs) throw new RangeError('renewEveryMs must be shorter than ttlMs');
  const holder = randomUUID();
  const keys = {
    lease: (name: string) => `${options.prefix}:leases:lease:${name}`,
    counter: `${options.prefix}:leases:token`,
    members: `${options.prefix}:leases:members`,
  };
  // Commands fail rather than wait in a queue while Redis is away: a renewal that cannot be confirmed in time is a
  // lost lease, and the keeper's next round asks again.
  // A server that hangs (rather than refusing) must not hang the renewals: each command gives up within the ttl.
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: Math.max(100, Math.floor(ttlMs / 2)), lazyConnect: true });
  redis.on('error', (error) => options.onError?.(error));
  redis.defineCommand('errandLeaseAcquire', { numberOfKeys: 3, lua: ACQUIRE });
  redis.defineCommand('errandLeaseRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('errandLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('errandLeaseMembers', { numberOfKeys: 1, lua: MEMBERS });
  const scripts = redis as unknown as Scripts;
  const held = new Map<string, Held>();
  let closed = false;
  let connecting: Promise<void> | null = null;
  let renewing = false;

  const connected = async () => {
    if (closed) throw new Error('lease manager is closed');
    if (redis.status === 'ready') return;
    connecting ??= (redis.status === 'wait' ? redis.connect() : new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Redis is not reachable for leases')), 2000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    })).finally(() => (connecting = null));
    await connecting;
  };

  const lose = (name: string, entry: Held) => {
    if (held.get(name) !== entry) return;
    held.delete(name);
    entry.lease.markLost();
  };

  /** Not confirmed within the ttl: Redis may already have let it expire and granted it to someone else. */
  const loseOverdue = () => {
    const now = Date.now();
    for (const [name, entry] of [...held]) if (now - entry.renewedAt >= ttlMs) lose(name, entry);
  };

  const renew = async () => {
    // Checked on every tick, even while an earlier renewal still waits for an answer.
    loseOverdue();
    if (renewing || closed) return;
    renewing = true;
    try {
      for (const [name, entry] of [...held]) {
        if (held.get(name) !== entry) continue;
        const asked = Date.now();
        try {
          const still = await scripts.errandLeaseRenew(keys.lease(name), entry.value, ttlMs);
          if (still === 1 && held.get(name) === entry) entry.renewedAt = asked;
          else lose(name, entry);
        } catch (error) {
          options.onError?.(error);
        }
      }
      if (held.size > 0) await scripts.errandLeaseMembers(keys.members, holder, ttlMs).catch(() => undefined);
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void renew(), renewEveryMs);
  timer.unref();

  const letGo = async (lease: HeldLease) => {
    const entry = held.get(lease.name);
    if (entry?.lease !== lease) return;
    held.delete(lease.name);
    // If Redis cannot be told, the key expires by itself within the ttl.
    await scripts.errandLeaseRelease(keys.lease(lease.name), entry.value).catch((error: unknown) => options.onError?.(error));
  };

  return {
    kind: 'redis',
    async members() {
      await connected();
      return scripts.errandLeaseMembers(keys.members, holder, ttlMs);
    },
    async tryAcquire(name) {
      if (held.get(name)?.lease.held()) return null;
      await connected();
      const asked = Date.now();
      const token = Number(await scripts.errandLeaseAcquire(keys.lease(name), keys.counter, keys.members, holder, ttlMs));
      if (token === 0) return null;
      if (closed) {
        await scripts.errandLeaseRelease(keys.lease(name), `${holder} ${token}`).catch(() => undefined);
        return null;
      }
      const lease = new HeldLease(name, token, letGo);
      held.set(name, { lease, value: `${holder} ${token}`, renewedAt: asked });
      return lease;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await connecting?.catch(() => undefined);
      const leases = [...held.values()].map((entry) => entry.lease);
      for (const lease of leases) await lease.release();
      if (redis.status === 'ready') await redis.zrem(keys.members, holder).catch(() => undefined);
      redis.disconnect();
    },
  };
}
