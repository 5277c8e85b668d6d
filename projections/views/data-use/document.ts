import type { SubjectType } from '../../../domain/catalogue/types.ts';

export const DATA_USE = 'data_use';
/** Per-case bookkeeping: whose data a case's evidence is, and for which service and department. */
export const DATA_USE_CASES = 'data_use_case';

/**
 * "Who used my data": one entry per access, id = eventId. Names of data items and fields only, never values, and
 * departments rather than staff. Filter on subjectId (always), department, caseId, serviceId, result; sort on at.
 */
export interface DataUse {
  id: string;
  subjectId: string;
  subjectType: SubjectType;
  at: string;
  /** The department that asked for or looked at the data (null when the accessor has none, e.g. the platform). */
  department: string | null;
  accessorKind: 'clerk' | 'auditor' | 'admin' | 'department' | 'system';
  /** Where the data came from, for evidence fetched from a provider. */
  holder: string | null;
  caseId: string | null;
  serviceId: string | null;
  purpose: string;
  legalBasis: string | null;
  dataItem: string | null;
  fields: string[];
  channel: string;
  result: string;
}

export interface DataUseCase {
  applicant: { type: SubjectType; id: string };
  serviceId: string;
  department: string | null;
  legalBasis: string | null;
  revision: string;
}
