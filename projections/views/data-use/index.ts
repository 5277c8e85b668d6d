export { DATA_USE, DATA_USE_CASES } from './document.ts';
export type { DataUse, DataUseCase } from './document.ts';
export { DATA_USE_PROJECTION, DATA_USE_VERSION, createDataUseProjector } from './projector.ts';
