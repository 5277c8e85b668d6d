import type { Actor } from '../events/index.ts';
import type { CaseEventMap } from './events.ts';
import type { OnBehalfOf, RepresentationFacts } from '../agents/representation.ts';

interface Base {
  /** Repeating a command id is a no-op: the retry gets the first result. */
  commandId: string;
  caseId: string;
  actor: Actor;
  correlationId?: string;
}

export interface CaseCommandMap {
  /** `onBehalfOf`: the actor applies as an agent; `representation`: the facts the edge looked up for it. */
  DraftApplication: { serviceId: string; serviceVersion?: number; form: Record<string, unknown>; bundleId?: string | null; onBehalfOf?: OnBehalfOf; representation?: RepresentationFacts; reconsiderationOf?: string };
  UpdateDraft: { form: Record<string, unknown> };
  UploadMaterial: { materialId: string; fileName: string; mediaType: string; size: number; sha256: string };
  SubmitApplication: { explicitRequests?: string[]; commitment?: boolean };
  AcceptCase: Record<never, never>;
  NotAcceptCase: { reason: string };
  RequestSupplement: { items: Array<{ materialId: string; note: string }> };
  ProvideSupplement: Record<never, never>;
  DeemAccepted: Record<never, never>;
  ExpireSupplement: Record<never, never>;
  RecordEvidence: Omit<CaseEventMap['EvidenceReceived'], 'qualityIssues'> & {
    qualityIssues?: string[];
    conflicts?: CaseEventMap['EvidenceConflictFlagged']['conflicts'];
    provisional?: boolean;
  };
  RecordEvidenceUnavailable: CaseEventMap['EvidenceUnavailable'];
  ConfirmEvidencePreview: { materialId: string };
  RefuseEvidencePreview: { materialId: string };
  StartJointReview: Record<never, never>;
  GiveOpinion: { opinion: 'approve' | 'deny'; comment: string };
  RequestRevision: { items: Array<{ materialId: string; note: string }> };
  ProvideRevisionSupplement: Record<never, never>;
  ClaimCase: Record<never, never>;
  ReleaseCase: Record<never, never>;
  /** `assignee`: the staff id of a clerk of the assigning supervisor's own department. */
  AssignCase: { assignee: string };
  ExtendDeadline: { days: number; reason: string };
  SuspendCase: { kind: CaseEventMap['CaseSuspended']['kind']; reason: string };
  ResumeCase: Record<never, never>;
  /** Recomputes the due dates with the calendar now loaded; `calendarVersion` names it in the event. */
  RecalculateDeadlines: { calendarVersion: string };
  RaiseDeadlineWarning: { limit: 'promised' | 'statutory'; dueOn: string };
  MarkOverdue: { limit: 'promised' | 'statutory'; dueOn: string };
  ApproveCase: { reasons?: string[] };
  DenyCase: { reasons: string[] };
  IssueCertificate: Record<never, never>;
  VerifyCommitment: Record<never, never>;
  RevokeApproval: { reason: string };
  WithdrawApplication: { reason?: string };
  RateCase: { score: number; comment?: string };
  /** 秒批: the platform accepts an instant-approval application as soon as it is submitted. */
  AcceptOnSubmission: Record<never, never>;
  RemindFollowUp: { materialId: string; dueOn: string; level: 'yellow' | 'red' };
  /** The payment provider confirmed the applicant's payment of the fee (the API asks the provider first). */
  PayFee: Omit<CaseEventMap['PaymentReceived'], never>;
  /** The provider refunded (part of) a payment; `reason` is told to the applicant. */
  RefundPayment: Omit<CaseEventMap['PaymentRefunded'], never>;
  /**
   * A durable job closed the fee's orders at the provider after a revocation. `paid`: the provider answered that the
   * payer paid first, so the payment is recorded instead (flagged for refund) and nothing is said closed.
   */
  ClosePaymentOrders: { orderIds: string[]; provider: string; paid?: Pick<CaseEventMap['PaymentReceived'], 'paymentId' | 'providerRef' | 'amount' | 'currency' | 'paidAt'> };
  /** The provider answered that a refund failed (the platform asked it while handling a clerk's refund). */
  RecordRefundFailure: Omit<CaseEventMap['PaymentRefundFailed'], 'reportedAt'>;
  /** 行政复议: `appealCaseId` is the linked case the edge opens at the reviewing body under the same request. */
  RequestReconsideration: { appealCaseId: string; grounds: string };
  /** The reviewing body's linked case was decided (a durable job carries its outcome here). */
  RecordReconsiderationOutcome: { appealCaseId: string; outcome: 'approved' | 'denied' | 'withdrawn' | 'notAccepted'; decidedOn: string };
  /** The department's answer to a low rating, shown to the applicant. */
  AnswerComplaint: { response: string };
  MarkComplaintOverdue: { dueOn: string };
}

export type CaseCommandType = keyof CaseCommandMap;

export type CaseCommand = { [K in CaseCommandType]: Base & { type: K } & CaseCommandMap[K] }[CaseCommandType];

export type CommandOf<K extends CaseCommandType> = Extract<CaseCommand, { type: K }>;

export const CASE_COMMAND_TYPES = [
  'DraftApplication', 'UpdateDraft', 'UploadMaterial', 'SubmitApplication', 'AcceptCase', 'NotAcceptCase',
  'RequestSupplement', 'ProvideSupplement', 'DeemAccepted', 'ExpireSupplement', 'RecordEvidence',
  'RecordEvidenceUnavailable', 'ConfirmEvidencePreview', 'RefuseEvidencePreview', 'StartJointReview', 'GiveOpinion',
  'RequestRevision', 'ProvideRevisionSupplement', 'ClaimCase', 'ReleaseCase', 'AssignCase',
  'ExtendDeadline', 'SuspendCase', 'ResumeCase', 'RecalculateDeadlines', 'RaiseDeadlineWarning', 'MarkOverdue', 'ApproveCase', 'DenyCase',
  'IssueCertificate', 'VerifyCommitment', 'RevokeApproval', 'WithdrawApplication', 'RateCase',
  'AcceptOnSubmission', 'RemindFollowUp', 'PayFee', 'RefundPayment', 'ClosePaymentOrders', 'RecordRefundFailure',
  'RequestReconsideration', 'RecordReconsiderationOutcome', 'AnswerComplaint', 'MarkComplaintOverdue',
] as const satisfies readonly CaseCommandType[];
