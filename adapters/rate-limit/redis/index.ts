/** The Redis hit counter (ioredis): loaded by the composition root only when REDIS_URL is set. */
export { createRedisHitCounter, type RedisHitCounterOptions } from './redis-hit-counter.ts';
