export type { ReplayCache } from './port.ts';
export { createMemoryReplayCache } from './memory-replay-cache.ts';
export { createPostgresReplayCache, type PostgresReplayCacheOptions } from './postgres-replay-cache.ts';
export { createFileReplayCache, type FileReplayCacheOptions } from './file-replay-cache.ts';
