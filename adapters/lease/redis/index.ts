/** Leases on Redis keys with expiry (ioredis): loaded by the composition root only when LEASES=redis selects it. */
export { createRedisLeaseManager, type RedisLeaseOptions } from './redis-lease-manager.ts';
