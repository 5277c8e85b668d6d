/** The demo shared data library: what the departments' systems would hold, generated from a seed. */
import type { SubjectType } from '../../catalogue/index.ts';

/** One record of a data item, keyed by exactly the catalogue's field names. */
export type LibraryValue = string | number | boolean | null;
export type LibraryRow = Record<string, LibraryValue>;

/** Data item id -> its records. */
export type LibraryRecords = Record<string, LibraryRow[]>;

export interface DemoPerson {
  citizenId: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  /** Region code of household registration. */
  region: string;
  address: string;
}

export interface DemoEnterprise {
  creditCode: string;
  enterpriseName: string;
  entityType: 'company' | 'individual-business' | 'partnership' | 'cooperative';
  legalRepresentativeId: string;
}

/** A record the provider knows is coming but has not synchronised yet: answers "not yet available". */
export interface PendingRecord {
  dataItem: string;
  subjectId: string;
  availableAfter: string;
}

export type DemoOutcome = 'found' | 'no_match' | 'not_yet_available' | 'conflict' | 'quality_issue' | 'cleansed';

/** A subject picked (and shaped) to exercise one path through evidence gathering. */
export interface DemoSubject {
  /** Stable key, e.g. "instant-approval", "missing-household-registration". */
  key: string;
  subject: { type: SubjectType; id: string };
  description: string;
  /** Data item id -> what fetching it for this subject shows. */
  expect: Record<string, DemoOutcome>;
}

export interface DemoLibrary {
  seed: number;
  /** Ages, validity periods and "pending" dates are relative to this day, never to a clock. */
  referenceDate: string;
  persons: DemoPerson[];
  enterprises: DemoEnterprise[];
  records: LibraryRecords;
  /** A second source for cross-checks (the platform's base libraries); disagrees with the first on purpose. */
  secondary: { source: string; records: LibraryRecords };
  pending: PendingRecord[];
  subjects: DemoSubject[];
}

export interface DemoLibraryOptions {
  seed?: number;
  referenceDate?: string;
  /** Adults generated before families add children; the total is always at least 1,000 persons. */
  adults?: number;
  enterprises?: number;
}
