export { CASE_VIEW } from './document.ts';
export type { CaseView, Due, EvidenceEntry, TimelineEntry } from './document.ts';
export { CASE_VIEW_PROJECTION, CASE_VIEW_VERSION, createCaseViewProjector } from './projector.ts';
export { withDaysLeft } from './days-left.ts';
export type { DaysLeft } from './days-left.ts';
export { timelineFacts, timelineSummary, withTimelineSummaries, type TimelineFact, type TimelineFacts } from './summary.ts';
export { newCaseView } from './create.ts';
export { evolveCaseView } from './evolve.ts';
