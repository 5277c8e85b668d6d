export type { ReplayCache } from '../../../domain/ports/replay-cache.ts';
export { createMemoryReplayCache } from './memory-replay-cache.ts';
export { createFileReplayCache, type FileReplayCacheOptions } from './file-replay-cache.ts';
