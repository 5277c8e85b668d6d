export type { HitCounter, WindowCount } from './port.ts';
export { createMemoryHitCounter } from './memory-hit-counter.ts';
export { createRedisHitCounter, type RedisHitCounterOptions } from './redis-hit-counter.ts';
