import type { CaseStatus } from '../shared/status.ts';

export const WORK_QUEUE = 'work_queue';
/** Per-case bookkeeping the queue items are derived from; not meant for readers. */
export const WORK_QUEUE_CASES = 'work_queue_case';

/**
 * What the department has to do. `waiting` items sit with someone else (the applicant, evidence providers,
 * co-reviewers, a hearing) and are listed so the department sees its whole load and deadlines.
 */
export type QueueAction =
  | 'intake'
  | 'awaiting-supplement'
  | 'evidence'
  | 'review'
  | 'awaiting-opinions'
  | 'awaiting-revision'
  | 'decide'
  | 'opinion'
  | 'suspended'
  | 'awaiting-payment'
  | 'refund-due'
  | 'complaint'
  | 'certificate'
  | 'verify-commitment'
  | 'awaiting-follow-up';

/**
 * One pending piece of work, id = `${department}-${caseId}`. Every field is a flat scalar so the read store can
 * filter (department, role, status, serviceId, action, waiting, warning, overdue, dueOn ranges) and sort (dueOn,
 * submittedAt) and page without reading any other document.
 */
export interface WorkItem {
  id: string;
  department: string;
  role: 'lead' | 'co-reviewer';
  caseId: string;
  serviceId: string;
  serviceVersion: number;
  status: CaseStatus;
  action: QueueAction;
  waiting: boolean;
  /** The date the current step is due: intake or supplement due before acceptance, promised due after it, the
   * certificate or verification limit after a decision (null when no calendar is configured for those). */
  dueOn: string | null;
  dueKind: 'intake' | 'supplement' | 'promised' | 'certificate' | 'verification' | 'followUp' | 'complaint' | null;
  promisedDueOn: string | null;
  statutoryDueOn: string | null;
  warning: boolean;
  overdue: boolean;
  submittedAt: string | null;
  acceptedOn: string | null;
  /** The 受理回执 number from acceptance: what applicants quote on the phone. */
  receiptNo: string | null;
  /** Why 秒批 left the case to a clerk (doubtful data or a failed condition), reasons joined by "; ". */
  note: string | null;
  /** 容缺: materials still owed, the earliest due date among them, and whether a red card is out on one. */
  followUpsOwed: number;
  followUpDueOn: string | null;
  followUpOverdue: boolean;
  /** Staff id of the clerk of this department who claimed or was assigned the case; null while nobody holds it. */
  heldBy: string | null;
}

export interface QueueCase {
  caseId: string;
  serviceId: string;
  serviceVersion: number;
  department: string | null;
  status: CaseStatus;
  resumeTo: CaseStatus | null;
  submittedAt: string | null;
  intakeDueOn: string | null;
  supplementDueOn: string | null;
  acceptedOn: string | null;
  receiptNo: string | null;
  due: { statutory: string; promised: string } | null;
  /** "limit:dueOn:level", as the workflow keeps them. */
  cards: string[];
  jointDepartments: string[];
  opinionsFrom: string[];
  commitment: boolean;
  commitmentVerified: boolean;
  decidedOn: string | null;
  certificateIssued: boolean;
  withheld: string | null;
  /** Owed materials by id: due date and whether a red card was raised. */
  followUps: Record<string, { dueOn: string; red: boolean }>;
  /** Department -> staff id of the clerk holding its part (absent in documents written before clerk work). */
  holders?: Record<string, string>;
  /**
   * Fen the case owes the applicant back: a payment the provider confirmed after the approval was revoked
   * (PaymentReceived with refundDue), less what was refunded since. Absent when nothing is owed back.
   */
  refundDue?: number;
  /** 好差评: a low rating the department must answer by dueOn (absent in documents written before complaints). */
  complaint?: { dueOn: string; red: boolean } | null;
  /** Ids of the work items currently written, so the ones no longer pending can be deleted. */
  items: string[];
  revision: string;
}
