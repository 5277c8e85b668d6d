/** The API's rate-limit counter: the port's types and the in-memory counter. The Redis counter is in redis/. */
export type { HitCounter, WindowCount } from '../../domain/ports/rate-limit.ts';
export { createMemoryHitCounter } from './memory-hit-counter.ts';
