export type { DocKey, ProjectionContext, Projector, ViewDoc } from './projector.ts';
export { physicalCollection } from './projector.ts';
export * from './runner/index.ts';
