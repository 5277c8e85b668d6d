import type { ActorKind } from '../../../domain/events/index.ts';
import type { CaseStatus } from '../shared/status.ts';

export const AUDIT_TRAIL = 'audit_trail';
export const AUDIT_HEAD = 'audit_head';
/** Per-case bookkeeping: status (for before -> after), applicant, service and department. */
export const AUDIT_CASES = 'audit_case';
export const HEAD_ID = 'head';

/** A read of personal data: a DataAccessed event or evidence fetched from (or refused by) its holder. */
export interface AccessRecord {
  /** The department that asked for or looked at the data. */
  department: string | null;
  /** The department holding the data, for evidence fetched from a provider. */
  holder: string | null;
  caseId: string | null;
  serviceId: string | null;
  purpose: string;
  legalBasis: string | null;
  dataItem: string | null;
  /** Names only, never values. */
  fields: string[];
  channel: string;
  result: string;
}

/**
 * One entry per event, id = eventId, chained by seq/prevHash/hash in delivery order. Filter on caseId, subjectId,
 * actorId, actorDepartment, eventType, category; sort on seq (or at).
 */
export interface AuditEntry {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
  at: string;
  category: 'case' | 'data-access' | 'other';
  eventType: string;
  streamId: string;
  revision: string;
  checkpoint: string;
  /**
   * The event log's own hash link at this event (hex; null on a store without one): what `npm run audit -- verify`
   * recomputes from the events table, so an entry can be matched with the log it came from.
   */
  eventHash: string | null;
  commandId: string;
  correlationId: string;
  caseId: string | null;
  /** Whose personal data the event concerns: the case applicant, or the subject of a data access. */
  subjectId: string | null;
  serviceId: string | null;
  actorKind: ActorKind;
  actorId: string;
  actorDepartment: string | null;
  actorRoles: string[];
  statusBefore: CaseStatus | null;
  statusAfter: CaseStatus | null;
  access: AccessRecord | null;
}

export interface AuditHead {
  seq: number;
  hash: string;
  /** Last entry's event checkpoint: a redelivered event at or before it is already in the chain. */
  checkpoint: string;
  lastId: string;
}

export interface AuditCase {
  status: CaseStatus | null;
  resumeTo: CaseStatus | null;
  serviceId: string | null;
  applicantId: string | null;
  department: string | null;
  legalBasis: string | null;
  revision: string;
}
