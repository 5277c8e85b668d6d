import type { CaseEventType, ReconsiderationOutcome } from '../../../domain/case/events.ts';
import type { SubjectType } from '../../../domain/catalogue/index.ts';
import type { Materials } from '../shared/materials.ts';
import type { OutstandingItem } from '../shared/outstanding.ts';
import type { CaseStatus } from '../shared/status.ts';
import type { TimelineFacts } from './summary.ts';

export const CASE_VIEW = 'case_view';

/**
 * One entry per case event, in stream order, so entry i is the event at revision i. Kept small on purpose: the whole
 * view is rewritten whenever a batch touches the case. The API adds an English `summary` when it serves the view.
 */
export interface TimelineEntry {
  at: string;
  type: CaseEventType;
  /** Actor kind, with the department it acted for: "citizen", "system", "clerk/PSB", "department/PSB". */
  by: string;
  /** Material ids, departments, dates and outcomes only: never a field value or free text. */
  facts: TimelineFacts;
}

export interface EvidenceEntry {
  materialId: string;
  dataItem: string;
  provider: string;
  requestedFields: string[];
  status: 'requested' | 'received' | 'awaiting_preview' | 'confirmed' | 'refused' | 'unavailable';
  requestedAt: string | null;
  retrievedAt: string | null;
  trustLevel: 'A' | 'B' | 'C' | 'D' | null;
  contentHash: string | null;
  qualityIssues: string[];
  conflicts: Array<{ field: string; values: Array<{ source: string; value: unknown }> }>;
  unavailable: { reason: string; detail: string } | null;
  /** The fetched values, for the applicant and the handling clerk; dropped when the applicant refuses the preview. */
  fields: Record<string, unknown> | null;
}

export interface Obligation {
  materialId: string;
  dueOn: string;
  recordedOn: string;
  providedOn: string | null;
  reminders: Array<{ level: 'yellow' | 'red'; raisedOn: string }>;
}

/** 收费 as the applicant and the clerk see it: amounts in whole fen. */
export interface FeeView {
  amount: number;
  currency: 'CNY';
  gross: number;
  lines: Array<{ kind: 'fixed' | 'perUnit' | 'cap'; amount: number; field?: string; units?: number }>;
  waivedBy: string | null;
  payBeforeCertificate: boolean;
  assessedOn: string;
  /** Set while the certificate waits for payment. */
  requiredOn: string | null;
  /** `refundDue`: the provider confirmed it after the approval was revoked; the applicant is owed it back. */
  payment: { paymentId: string; provider: string; providerRef: string; amount: number; paidAt: string; refundDue?: string } | null;
  refunds: Array<{ refundId: string; amount: number; reason: string; refundedAt: string }>;
  /** The day the fee's orders were closed at the provider after a revocation (nothing can be paid since); absent before. */
  ordersClosedOn?: string;
  /** Refunds the provider closed or failed: nothing went back under them. Absent until one fails. */
  failedRefunds?: Array<{ refundId: string; amount: number; reportedAt: string }>;
}

export interface Due {
  statutory: string;
  promised: string;
}

/**
 * One case as the applicant and the handling clerk see it. Flat top-level fields (applicantId, department,
 * serviceId, status, open, promisedDueOn, statutoryDueOn, updatedAt, submittedAt) are the ones to filter and sort on.
 */
export interface CaseView {
  caseId: string;
  serviceId: string;
  serviceVersion: number;
  bundleId: string | null;
  applicant: { type: SubjectType; id: string };
  applicantId: string;
  /** Who acts for the applicant (absent in views written before agents, null when the applicant applies themselves). */
  agent?: { id: string; basis: 'legalRepresentative' | 'authorisation'; authorisationId?: string } | null;
  agentId?: string | null;
  /** Lead department; null only when the service version is missing from the catalogue. */
  department: string | null;
  coReviewers: string[];
  limits: { calendar: string; dayKind: 'working' | 'calendar' } | null;
  status: CaseStatus;
  /** Status CaseResumed returns to. */
  resumeTo: CaseStatus | null;
  open: boolean;
  revision: string;
  form: Record<string, unknown>;
  commitment: boolean;
  commitmentVerifiedOn: string | null;

  draftedAt: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  submittedOn: string | null;
  acceptedOn: string | null;
  decidedOn: string | null;
  closedOn: string | null;

  intakeDueOn: string | null;
  receiptNo: string | null;
  deemedAccepted: boolean;
  missingNonKey: string[];
  supplement: { requestedOn: string; dueOn: string; items: Array<{ materialId: string; note: string }>; providedOn: string | null } | null;
  notAccepted: { reason: string; decidedOn: string } | null;

  due: Due | null;
  promisedDueOn: string | null;
  statutoryDueOn: string | null;
  extensionDaysUsed: number;
  extensions: Array<{ at: string; days: number; reason: string; due: Due }>;
  suspensions: Array<{ kind: string; reason: string; suspendedOn: string; resumedOn: string | null; dueAfter: Due | null }>;
  cards: Array<{ limit: 'promised' | 'statutory'; dueOn: string; level: 'yellow' | 'red'; raisedOn: string }>;
  /** A card is raised against the current due date (an extension or resumption moves it and clears these). */
  warning: boolean;
  overdue: boolean;

  /**
   * The clock is stopped: while a supplement is awaited (the intake limit starts again when it arrives, art. 32) or
   * while the case is suspended (hearing, testing, inspection, expert review do not count).
   */
  clockStopped: boolean;
  clockStoppedReason: { kind: 'supplement' | 'hearing' | 'testing' | 'inspection' | 'expert_review'; since: string; until: string | null } | null;
  /** 秒批 did not decide and why (doubtful data or a failed condition); the clerk decides. */
  instantApproval: { kind: 'doubtful_data' | 'conditions_not_met'; reasons: string[]; withheldOn: string } | null;
  /** 容缺: non-key materials owed after acceptance or approval, met or not. */
  obligations: Obligation[];

  materials: Materials;
  outstanding: OutstandingItem[];
  evidence: Record<string, EvidenceEntry>;

  /**
   * `advisory`: departments whose opinion does not bind (every other "deny" is a veto). `revision`: the case sent back
   * after a veto, with the materials asked for and the departments that will revise (`providedOn` once supplied).
   */
  jointReview: {
    startedOn: string;
    departments: string[];
    opinions: Record<string, { opinion: 'approve' | 'deny'; comment: string; at: string }>;
    advisory?: string[];
    revision?: { requestedOn: string; departments: string[]; items: Array<{ materialId: string; note: string }>; providedOn: string | null } | null;
  } | null;
  decision: { outcome: 'approved' | 'denied'; by: 'clerk' | 'rule' | 'commitment'; decidedOn: string; reasons: string[] } | null;
  certificate: { certificateNo: string; certificateType: string; issuedOn: string; validUntil: string | null } | null;
  revocation: { reason: string; revokedOn: string } | null;
  withdrawal: { reason: string; withdrawnOn: string } | null;
  /** Clerk work: department -> staff id of the clerk holding its part (absent until first claimed). */
  holders?: Record<string, string>;
  rating: { score: number; comment: string; at: string } | null;
  /** 收费: absent until a fee is assessed (free services never have one). */
  fee?: FeeView;
  /** 行政复议 asked for this case: the linked case at the reviewing body, and its outcome once decided. */
  reconsideration?: { appealCaseId: string; reviewingBody: string; requestedOn: string; deadline: string; outcome: ReconsiderationOutcome | null; decidedOn: string | null } | null;
  /** Legal holds standing on the case's records (its events may not be shredded while any stands). */
  legalHolds?: Array<{ holdId: string; reason: string; basis: string; placedBy: string }>;
  /** 好差评 follow-up on a low rating: the department's answer, shown to the applicant. */
  complaint?: { score: number; openedOn: string; dueOn: string; response: string | null; respondedOn: string | null; overdue: boolean } | null;

  timeline: TimelineEntry[];
}
