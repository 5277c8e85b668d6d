import type { CaseRecorded, DataAccessedRecorded } from '../shared/events.ts';
import type { AccessRecord, AuditCase } from './document.ts';

/** Evidence fetched for a case is the lead department reading the applicant's data held by the provider. */
export function evidenceAccess(event: CaseRecorded, caseId: string, known: AuditCase | undefined): AccessRecord | null {
  const base = {
    department: known?.department ?? null,
    caseId,
    serviceId: known?.serviceId ?? null,
    purpose: 'evidence for the application',
    legalBasis: known?.legalBasis ?? null,
    channel: 'evidence',
  };
  if (event.type === 'EvidenceReceived') {
    return { ...base, holder: event.data.provider, dataItem: event.data.dataItem, fields: Object.keys(event.data.fields).sort(), result: 'granted' };
  }
  if (event.type === 'EvidenceUnavailable') {
    // The holder was asked about the subject even though nothing came back; the subject may want to know that too.
    return { ...base, holder: event.data.provider, dataItem: event.data.dataItem, fields: [], result: event.data.reason };
  }
  return null;
}

export function dataAccess(event: DataAccessedRecorded): AccessRecord {
  const d = event.data;
  return {
    department: d.accessor.department,
    holder: null,
    caseId: d.caseId,
    serviceId: d.serviceId,
    purpose: d.purpose,
    legalBasis: null,
    dataItem: null,
    fields: [...d.fields],
    channel: d.channel,
    result: d.result,
  };
}
