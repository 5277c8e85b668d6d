export { DEFAULT_DEMO_SEED, DEFAULT_REFERENCE_DATE, DEMO_SECONDARY_SOURCE, demoSubject, generateDemoLibrary } from './generate.ts';
export type {
  DemoEnterprise,
  DemoLibrary,
  DemoLibraryOptions,
  DemoOutcome,
  DemoPerson,
  DemoSubject,
  LibraryRecords,
  LibraryRow,
  LibraryValue,
  PendingRecord,
} from './types.ts';
