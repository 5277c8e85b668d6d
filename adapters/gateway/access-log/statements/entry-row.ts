import type { AccessLogEntry, AccessResult } from '../types.ts';

export interface AccessLogRow {
  seq: string;
  at: Date;
  department: string;
  result: string;
  status: number;
  reason: string | null;
  verified: boolean;
  request_id: string | null;
  issuer: string | null;
  key_id: string | null;
  requester: string | null;
  case_id: string | null;
  service_id: string | null;
  legal_basis: string | null;
  subject_type: string | null;
  subject_id: string | null;
  data_item: string | null;
  fields: string[];
}

export function entryOf(row: AccessLogRow): AccessLogEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    department: row.department,
    result: row.result as AccessResult,
    status: row.status,
    reason: row.reason,
    verified: row.verified,
    requestId: row.request_id,
    issuer: row.issuer,
    keyId: row.key_id,
    requester: row.requester,
    caseId: row.case_id,
    serviceId: row.service_id,
    legalBasis: row.legal_basis,
    subject: row.subject_type !== null && row.subject_id !== null ? { type: row.subject_type, id: row.subject_id } : null,
    dataItem: row.data_item,
    fields: row.fields,
  };
}
