import type { SubjectType } from '../../../domain/catalogue/index.ts';
import type { CaseStatus } from '../shared/status.ts';

export const CITIZEN_CASES = 'citizen_cases';

/** What the applicant should do next, if anything. */
export type CitizenAction = 'submit' | 'supplement' | 'preview' | 'upload' | 'rate' | null;

/**
 * One row of "my cases". A separate small document rather than a filter on case_view: find() returns whole
 * documents, and a list page should neither ship every case's timeline and evidence values nor page through them.
 * Filter on applicantId (always), status, open, serviceId, action; sort on updatedAt, draftedAt, promisedDueOn.
 */
export interface CitizenCase {
  caseId: string;
  applicantId: string;
  applicantType: SubjectType;
  /** The agent acting for the applicant; both find the case in their list (absent in rows written before agents). */
  agentId?: string | null;
  serviceId: string;
  serviceVersion: number;
  bundleId: string | null;
  status: CaseStatus;
  resumeTo: CaseStatus | null;
  open: boolean;
  action: CitizenAction;
  /** Materials the applicant must preview or upload, by id. */
  pending: Record<string, 'preview' | 'upload'>;
  draftedAt: string;
  updatedAt: string;
  submittedOn: string | null;
  promisedDueOn: string | null;
  outcome: 'approved' | 'denied' | null;
  certificateNo: string | null;
  rated: boolean;
  revision: string;
}
