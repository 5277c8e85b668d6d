import type { SubjectType } from '../catalogue/index.ts';

/**
 * Every read of personal data outside the evidence flow (a clerk opening a case, an auditor reading a trail, a
 * department gateway answering) is an event too, so the data subject can see who used their data and why.
 * Evidence fetched for a case is already an EvidenceReceived event on the case and is not logged twice.
 */
export interface DataAccessedData {
  subject: { type: SubjectType; id: string };
  accessor: { kind: 'clerk' | 'auditor' | 'admin' | 'department' | 'system'; id: string; department: string | null };
  caseId: string | null;
  serviceId: string | null;
  purpose: string;
  /** Names of the fields or views read, never their values. */
  fields: string[];
  /**
   * 'material-file': a file the applicant uploaded, opened by a clerk or auditor. 'certificate': the holder's
   * certificate (credential or PDF) downloaded by a clerk or auditor. 'notice': a notice of the case printed by one.
   * 'erasure-requests': the citizen's erasure requests (reasons, cases) read by an administrator.
   * 'catalogue-dry-run': a case listed by an administrator's trial of a service's draft on past cases (what its rule
   * would have made of the case's evidence).
   */
  channel: 'case-view' | 'material-file' | 'audit-trail' | 'gateway' | 'export' | 'certificate' | 'notice' | 'erasure-requests' | 'catalogue-dry-run';
  result: 'granted' | 'refused';
}

export const DATA_ACCESSED = 'DataAccessed';

/**
 * One stream per data subject keeps appends uncontended and the subject's log one stream read away. Named by the
 * subject's keyed hash (adapters/privacy/subject-ref.ts), never the ID number, which would stay readable in the
 * stream name for as long as the log exists.
 */
export function accessStream(subjectRef: string): string {
  return `access-${subjectRef}`;
}
