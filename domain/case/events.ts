import type { SubjectType } from '../catalogue/index.ts';
import type { FeeLine } from '../fees/fee.ts';
import type { AgentOfCase } from '../agents/representation.ts';
import type { LegalHoldData, LegalHoldLiftedData, SubjectKeysShreddedData } from '../privacy/events.ts';

/** Everything that can happen to a case. Event data is what the fold, the projections and the audit trail need. */
export interface CaseEventMap {
  ApplicationDrafted: {
    caseId: string;
    serviceId: string;
    serviceVersion: number;
    applicant: { type: SubjectType; id: string };
    form: Record<string, unknown>;
    bundleId: string | null;
    /** Who applies on the applicant's behalf (legal representative, authorised agent); absent when they apply themselves. */
    agent?: AgentOfCase;
  };
  DraftUpdated: { form: Record<string, unknown> };
  MaterialUploaded: { materialId: string; fileName: string; mediaType: string; size: number; sha256: string };
  ApplicationSubmitted: {
    submittedOn: string;
    /** Evidence materials the applicant explicitly asked Errand to fetch (OOTS explicit request). */
    explicitRequests: string[];
    /** 告知承诺: the applicant signed the written commitment. */
    commitment: boolean;
    /** Deemed accepted if intake has not answered by this date (Administrative Licensing Law art. 32). */
    intakeDueOn: string;
  };
  SupplementRequested: { items: Array<{ materialId: string; note: string }>; requestedOn: string; dueOn: string };
  SupplementProvided: {
    materialIds: string[];
    providedOn: string;
    /**
     * Art. 32: the application is received when the supplement arrives, so the intake limit starts again from here.
     * Absent in events written before the rule was kept (the old intake due date then stays).
     */
    intakeDueOn?: string;
  };
  CaseNotAccepted: { reason: string; decidedOn: string };
  CaseAccepted: {
    acceptedOn: string;
    receiptNo: string;
    /** True when intake did not answer in time and the law deems the case accepted. */
    deemed: boolean;
    /** Non-key materials still missing (容缺受理). */
    missingNonKey: string[];
    due: { statutory: string; promised: string };
  };
  EvidenceRequested: {
    items: Array<{ materialId: string; dataItem: string; provider: string; fields: string[] }>;
  };
  EvidenceReceived: {
    materialId: string;
    dataItem: string;
    provider: string;
    fields: Record<string, unknown>;
    contentHash: string;
    retrievedAt: string;
    trustLevel: 'A' | 'B' | 'C' | 'D';
    qualityIssues: string[];
    /** The provider marked the record provisional (not yet final at the source); absent means final. */
    provisional?: boolean;
  };
  EvidenceUnavailable: {
    materialId: string;
    dataItem: string;
    provider: string;
    reason: 'no_match' | 'not_yet_available' | 'provider_down' | 'refused';
    detail: string;
  };
  EvidenceConflictFlagged: {
    materialId: string;
    conflicts: Array<{ field: string; values: Array<{ source: string; value: unknown }> }>;
  };
  EvidencePreviewConfirmed: { materialId: string };
  EvidencePreviewRefused: { materialId: string };
  EvidenceGatheringCompleted: { completedOn: string };
  /** `advisory`: departments whose opinion does not bind; absent in events written before vetoes (all binding). */
  JointReviewStarted: { departments: string[]; startedOn: string; advisory?: string[] };
  OpinionGiven: { department: string; opinion: 'approve' | 'deny'; comment: string };
  /** The lead, facing a veto, asks the applicant for materials and the vetoing departments for a revised opinion. */
  RevisionRequested: { departments: string[]; items: Array<{ materialId: string; note: string }>; requestedOn: string };
  /** The applicant supplied them: the listed departments' opinions are open again. */
  RevisionSupplementProvided: { departments: string[]; materialIds: string[]; providedOn: string };
  /** Clerk work within a department: who holds the department's part of the case. */
  CaseClaimed: { department: string; clerkId: string; claimedOn: string };
  CaseReleased: { department: string; clerkId: string; releasedOn: string };
  CaseAssigned: { department: string; clerkId: string; assignedBy: string; assignedOn: string };
  DeadlineExtended: { days: number; reason: string; due: { statutory: string; promised: string } };
  CaseSuspended: { kind: 'hearing' | 'testing' | 'inspection' | 'expert_review'; reason: string; suspendedOn: string };
  CaseResumed: { resumedOn: string; due: { statutory: string; promised: string } };
  /** A holiday arrangement published after the due dates were set moved them (it was provisional until then). */
  DeadlinesRecalculated: {
    calendarVersion: string;
    recalculatedOn: string;
    previous: { statutory: string; promised: string };
    due: { statutory: string; promised: string };
  };
  /**
   * The same for the case's other time limits, each recomputed from the day it started: the intake limit (art. 32),
   * the supplement period, each 容缺 follow-up and the answer to a low rating. Lists only the limits that moved.
   * Also recorded on resumption for the 容缺 follow-ups the suspension held up (the applicant may not upload while
   * suspended), moved by its counted days: `suspendedOn` then names the day it began, `calendarVersion` the calendar
   * in use.
   */
  TimeLimitsRecalculated: {
    calendarVersion: string;
    recalculatedOn: string;
    limits: RecalculatedLimit[];
    suspendedOn?: string;
  };
  DeadlineWarningRaised: { limit: 'promised' | 'statutory'; dueOn: string; raisedOn: string };
  DeadlineOverdue: { limit: 'promised' | 'statutory'; dueOn: string; raisedOn: string };
  CaseApproved: { decidedOn: string; by: 'clerk' | 'rule' | 'commitment'; reasons: string[] };
  CaseDenied: { decidedOn: string; reasons: string[] };
  CertificateIssued: {
    certificateNo: string;
    certificateType: string;
    issuedOn: string;
    validUntil: string | null;
    /** The certificate's own fields, reusable later as evidence by other services. */
    holder: { type: SubjectType; id: string };
  };
  CommitmentVerified: { verifiedOn: string };
  ApprovalRevoked: { reason: string; revokedOn: string };
  CaseClosed: { closedOn: string };
  CaseWithdrawn: { reason: string; withdrawnOn: string };
  CaseRated: { score: 1 | 2 | 3 | 4 | 5; comment: string };
  /**
   * 秒批 did not decide: an input the rule reads is doubtful (conflict, quality issue, provisional, unavailable,
   * uploaded instead of fetched), or a condition failed. The case stays in review for a clerk, with the reasons.
   */
  InstantApprovalWithheld: { kind: 'doubtful_data' | 'conditions_not_met'; reasons: string[]; withheldOn: string };
  /** 容缺: non-key materials still missing at acceptance or approval are owed by a due date. */
  FollowUpRequired: { items: Array<{ materialId: string; dueOn: string }>; recordedOn: string };
  FollowUpProvided: { materialId: string; providedOn: string };
  /** Electronic supervision on a follow-up obligation: yellow before its due date, red once it has passed. */
  FollowUpReminderRaised: { materialId: string; dueOn: string; level: 'yellow' | 'red'; raisedOn: string };
  /** 收费: the fee assessed on approval, in whole fen, with the waiver rule that applied (amount 0 then). */
  FeeAssessed: { amount: number; currency: 'CNY'; gross: number; lines: FeeLine[]; waivedBy: string | null; payBeforeCertificate: boolean; assessedOn: string };
  /** The service says the certificate waits for payment: the case waits in awaitingPayment. */
  PaymentRequired: { amount: number; currency: 'CNY'; requiredOn: string };
  /** Confirmed by the payment provider (`providerRef` is its transaction id; `paymentId` the platform's order id). */
  PaymentReceived: {
    paymentId: string;
    provider: string;
    providerRef: string;
    amount: number;
    currency: 'CNY';
    paidAt: string;
    /**
     * Why the payment is owed back: the provider confirmed an order started before the approval was revoked. The
     * money was taken, so it is recorded (never lost to the books) and flagged for a clerk to refund. Absent otherwise.
     */
    refundDue?: string;
  };
  /** 行政复议: the applicant asked the reviewing body to reconsider; `appealCaseId` is the linked case there. */
  ReconsiderationRequested: { appealCaseId: string; reviewingBody: string; requestedOn: string; decidedOn: string; deadline: string };
  /**
   * The reconsideration ended: the reviewing body decided, 'overturned' (the request granted) or 'upheld' (the original
   * decision stands), or it ended without a decision on the merits: the applicant 'withdrawn' it, or the reviewing body
   * did not accept it ('notAccepted'). Either way the original decision stands and the hold is lifted.
   */
  ReconsiderationDecided: { appealCaseId: string; outcome: ReconsiderationOutcome; decidedOn: string };
  /** The case's records may not be shredded while a hold stands (data retention honours these by name). */
  LegalHoldPlaced: LegalHoldData;
  LegalHoldLifted: LegalHoldLiftedData;
  /** 好差评: a low rating opened a follow-up the department answers by `dueOn`. */
  ComplaintOpened: { score: number; openedOn: string; dueOn: string };
  ComplaintAnswered: { department: string; response: string; respondedOn: string };
  ComplaintOverdue: { dueOn: string; raisedOn: string };
  PaymentRefunded: { refundId: string; paymentId: string; provider: string; providerRef: string; amount: number; reason: string; refundedAt: string };
  /**
   * After a revocation the fee's orders were closed at the provider, so a payer still holding an address to pay at
   * can no longer pay a fee that is not payable. `orderIds`: the orders it closed (none when none was still pending).
   */
  PaymentOrdersClosed: { orderIds: string[]; provider: string; closedOn: string };
  /**
   * The provider closed or failed a refund (WeChat Pay's CLOSED): no money went back under `refundId`, so
   * nothing is counted refunded, and the case's next refund takes the next id. `reportedAt`: when the platform learned it.
   */
  PaymentRefundFailed: { refundId: string; paymentId: string; provider: string; providerRef: string; amount: number; reportedAt: string };
  /** A subject key destroyed (crypto-shredding): names keys and the rule, never a personal value. */
  SubjectKeysShredded: SubjectKeysShreddedData;
}

/** One time limit a newer calendar moved: which, the day it counts from, and its due date before and now. */
export interface RecalculatedLimit {
  limit: 'intake' | 'supplement' | 'followUp' | 'complaint';
  /** followUp: the material owed. */
  materialId?: string;
  from: string;
  previous: string;
  dueOn: string;
}

export type CaseEventType = keyof CaseEventMap;

export type CaseEvent = { [K in CaseEventType]: { type: K; data: CaseEventMap[K] } }[CaseEventType];

export const CASE_EVENT_TYPES = [
  'ApplicationDrafted', 'DraftUpdated', 'MaterialUploaded', 'ApplicationSubmitted', 'SupplementRequested',
  'SupplementProvided', 'CaseNotAccepted', 'CaseAccepted', 'EvidenceRequested', 'EvidenceReceived',
  'EvidenceUnavailable', 'EvidenceConflictFlagged', 'EvidencePreviewConfirmed', 'EvidencePreviewRefused',
  'EvidenceGatheringCompleted', 'JointReviewStarted', 'OpinionGiven', 'DeadlineExtended',
  'RevisionRequested', 'RevisionSupplementProvided', 'CaseClaimed', 'CaseReleased', 'CaseAssigned',
  'CaseSuspended', 'CaseResumed', 'DeadlinesRecalculated', 'TimeLimitsRecalculated', 'DeadlineWarningRaised', 'DeadlineOverdue', 'CaseApproved', 'CaseDenied',
  'CertificateIssued', 'CommitmentVerified', 'ApprovalRevoked', 'CaseClosed', 'CaseWithdrawn', 'CaseRated',
  'InstantApprovalWithheld', 'FollowUpRequired', 'FollowUpProvided', 'FollowUpReminderRaised',
  'FeeAssessed', 'PaymentRequired', 'PaymentReceived', 'PaymentRefunded', 'PaymentOrdersClosed', 'PaymentRefundFailed',
  'ReconsiderationRequested', 'ReconsiderationDecided', 'LegalHoldPlaced', 'LegalHoldLifted', 'ComplaintOpened', 'ComplaintAnswered', 'ComplaintOverdue',
  'SubjectKeysShredded',
] as const satisfies readonly CaseEventType[];

/** Case events that record something about the case's data, not a step of its lifecycle: the machine skips them. */

export const CASE_STREAM_PREFIX = 'case-';

export function caseStream(caseId: string): string {
  return `${CASE_STREAM_PREFIX}${caseId}`;
}

export function caseIdOfStream(stream: string): string | null {
  return stream.startsWith(CASE_STREAM_PREFIX) ? stream.slice(CASE_STREAM_PREFIX.length) : null;
}

/** How a reconsideration ended, as the original case records it. */
export type ReconsiderationOutcome = 'upheld' | 'overturned' | 'withdrawn' | 'notAccepted';
