export type { DocKey, ProjectionContext, Projector, ViewDoc } from './projector.ts';
export { physicalCollection } from './projector.ts';
export * from './runner/index.ts';

// --- View projectors and the audit hash chain (projections/views, projections/audit), kept apart from the runner's lines above ---
export * from './views/index.ts';
export * from './audit/index.ts';
export { foldInMemory } from './fold-stream.ts';
