import type { SubjectType } from '../../../domain/catalogue/index.ts';
import type { AccessRecord } from '../audit-trail/document.ts';

export const DATA_USE = 'data_use';
/** Per-case bookkeeping: whose data a case's evidence is, and for which service and department. */
export const DATA_USE_CASES = 'data_use_case';

/**
 * "Who used my data": one entry per access, id = eventId. Names of data items and fields only, never values, and
 * departments rather than staff. Filter on subjectId (always), department, caseId, serviceId, result; sort on at.
 */
export interface DataUse extends AccessRecord {
  id: string;
  subjectId: string;
  subjectType: SubjectType;
  at: string;
  accessorKind: 'clerk' | 'auditor' | 'admin' | 'department' | 'system';
}

export interface DataUseCase {
  applicant: { type: SubjectType; id: string };
  serviceId: string;
  department: string | null;
  legalBasis: string | null;
  revision: string;
}
