export type { Lease, LeaseManager } from './port.ts';
export { createInProcessLeaseHub, type InProcessLeaseHub } from './in-process.ts';
export { createPostgresLeaseManager, type PostgresLeaseOptions } from './postgres.ts';
export { startLeaseKeeper, type LeaseKeeper, type LeasedWork } from './keeper.ts';
export { planLeases } from './plan.ts';
export { createRedisLeaseManager, type RedisLeaseOptions } from './redis.ts';
