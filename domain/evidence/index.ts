/** Evidence governance, pure: request checks, cleansing, quality rules, conflict detection, the demo library. */
export { canonicalJson } from '../json/canonical-json.ts';
export { cleanseFields, isCodeField, normaliseDate } from './cleanse.ts';
export type { Cleansed } from './cleanse.ts';
export { detectConflicts } from './conflicts.ts';
export type { FieldConflict, SourcedFields } from './conflicts.ts';
export { checkQuality } from './quality.ts';
export type { QualityIssue } from './quality.ts';
export { checkEvidenceRequest, onlyRequested } from './request-check.ts';
export type { CheckedRequest, RefusalKind, RequestCheck } from './request-check.ts';
export { subjectKeyOf } from './subject-keys.ts';
export type { SubjectKey } from './subject-keys.ts';
export { createLibraryView } from './library-view.ts';
export type { LibraryAnswer, LibraryView } from './library-view.ts';
export * from './demo-library/index.ts';
