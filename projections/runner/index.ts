export { createProjectionRunner } from './runner.ts';
export { ACTIVE_VERSION_TTL_MS, activeCollection, activeVersion, forgetActiveVersions, projectionCheckpoint } from './active-collection.ts';
export { ProjectionError, applyBatch } from './apply-batch.ts';
export { checkpointKey, metaKey, readProjectionMeta, type ProjectionMeta } from './meta.ts';
export { RebuildStopped } from './rebuild.ts';
export type {
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionState,
  ProjectionStatus,
  RebuildProgress,
  RebuildResult,
  RebuildStatus,
  RunnerLogger,
} from './types.ts';
export { readSharedStatus, rebuildKey, requestRebuild, requestRebuildOnce, startAdminAgent, statusKey, type RebuildRequest, type SharedStatus } from './admin.ts';
export { readStreamReplayMark } from './stream-replay-mark.ts';
export type { Changes } from './batch-context.ts';
export { WritePipeline } from './write-pipeline.ts';
