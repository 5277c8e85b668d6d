import type { Material, ServiceDefinition, SubjectType } from '../domain/catalogue/index.ts';
import type { CaseEvent, CaseEventMap, RecalculatedLimit, ReconsiderationOutcome } from '../domain/case/events.ts';
import type { AgentOfCase } from '../domain/agents/representation.ts';
import type { LegalHold } from '../domain/appeals/reconsideration.ts';

export type MaterialStatus =
  | 'missing'
  | 'uploaded'
  | 'to_fetch'
  | 'fetching'
  | 'received'
  | 'awaiting_preview'
  | 'upload_required';

export interface MaterialState {
  id: string;
  kind: Material['kind'];
  key: boolean;
  status: MaterialStatus;
  /** OOTS: fetched only when the applicant explicitly asks. */
  explicitRequest: boolean;
  /** OOTS: the applicant previews fetched evidence before it is used. */
  preview: boolean;
  /** Why the platform could not fetch it, when status is upload_required. */
  unavailableReason?: string;
  conflicted?: boolean;
  /** Fields two sources disagree on. */
  conflictFields?: string[];
  /** Governance flags on the received record: quality issues found, provisional at the source. */
  qualityIssues?: string[];
  provisional?: boolean;
}

/** 收费: the fee assessed on approval and what was paid and refunded against it (fen). */
export interface FeeState {
  amount: number;
  currency: 'CNY';
  waivedBy: string | null;
  payBeforeCertificate: boolean;
  paid: { paymentId: string; provider: string; providerRef: string; amount: number; paidAt: string; refundDue?: string } | null;
  /** When the fee's orders were closed at the provider after a revocation; absent while none was closed. */
  ordersClosedOn?: string;
  refunded: number;
  /** The refunds on record, by the provider's refund id (out_refund_no): one refund is never recorded twice. */
  refundIds?: string[];
  /** Refunds the provider closed or failed (nothing went back), by refund id: never counted refunded, never reused. */
  failedRefundIds?: string[];
}

/** 容缺: a non-key material owed after acceptance or approval. */
export interface FollowUp {
  /** The day the obligation was recorded, which its due date counts from (recomputed under a newer calendar). */
  since: string;
  dueOn: string;
  providedOn: string | null;
  /** Levels already raised for this due date ('yellow', 'red'), so a timer firing twice records once. */
  reminders: Array<'yellow' | 'red'>;
}

export interface CaseContext {
  caseId: string;
  serviceId: string;
  serviceVersion: number;
  department: string;
  coReviewers: string[];
  applicant: { type: SubjectType; id: string } | null;
  /** Who acts for the applicant, when someone does. */
  agent?: AgentOfCase;
  form: Record<string, unknown>;
  bundleId: string | null;
  materials: Record<string, MaterialState>;
  /** Fields of received evidence by material, for instant-approval rules and commitment checks. */
  evidence: Record<string, Record<string, unknown>>;
  /** Department answering for each material being fetched. */
  providers: Record<string, string>;
  commitment: boolean;
  submittedOn: string | null;
  /**
   * The day the application counts as received (art. 32): its submission, or the day a supplement completed it. A
   * deemed acceptance is accepted from this day, not from the day the intake limit was found to have run out.
   */
  receivedOn?: string | null;
  intakeDueOn: string | null;
  /** `requestedOn`: the day the supplement period counts from. */
  supplement: { requested: boolean; items: string[]; requestedOn: string | null; dueOn: string | null };
  acceptedOn: string | null;
  due: { statutory: string; promised: string } | null;
  extensionDaysUsed: number;
  extensionDaysAllowed: number;
  suspension: { kind: string; reason: string; since: string } | null;
  /** Suspensions ended so far, so due dates can be recomputed from acceptance under a newer calendar. */
  suspendedPeriods?: Array<{ since: string; resumedOn: string }>;
  /**
   * `advisory`: departments whose opinion does not bind. `revision`: a veto sent back, waiting for the applicant's
   * materials (`uploaded` so far) before the listed departments give a revised opinion.
   */
  jointReview: {
    departments: string[];
    opinions: Record<string, 'approve' | 'deny'>;
    advisory?: string[];
    revision?: { departments: string[]; items: string[]; uploaded: string[] } | null;
  } | null;
  decision: { outcome: 'approved' | 'denied'; by: 'clerk' | 'rule' | 'commitment'; on: string; reasons: string[] } | null;
  certificate: { certificateNo: string; certificateType: string; issuedOn: string; validUntil: string | null } | null;
  commitmentVerified: boolean;
  /** "limit:dueOn:level" for each warning or overdue card already raised, so a timer that fires twice records once. */
  cards: string[];
  rating: number | null;
  /** Clerk work: department -> staff id of the clerk holding that department's part; absent until first claimed. */
  holders?: Record<string, string>;
  closedOn: string | null;
  lastEventAt: string | null;
  /** Follow-up obligations by material id. */
  followUps: Record<string, FollowUp>;
  /** Absent until a fee is assessed (services that charge nothing never get one). */
  fee?: FeeState;
  /** Set when the case was not accepted (the decision a reconsideration may be asked against). */
  notAcceptedOn?: string;
  /** 行政复议 asked for this case, and its outcome once the reviewing body decided. */
  reconsideration?: { appealCaseId: string; requestedOn: string; outcome: ReconsiderationOutcome | null };
  /** Legal holds standing on the case's records, by hold id. */
  holds?: Record<string, LegalHold>;
  /** 好差评 follow-up on a low rating. */
  complaint?: { openedOn: string; dueOn: string; answeredOn: string | null; overdue: boolean };
}

export function initialContext(definition: ServiceDefinition): CaseContext {
  const materials: Record<string, MaterialState> = {};
  for (const material of definition.materials) {
    materials[material.id] = {
      id: material.id,
      kind: material.kind,
      key: material.key,
      status: material.kind === 'evidence' ? 'to_fetch' : 'missing',
      explicitRequest: material.kind === 'evidence' && material.requiresExplicitRequest === true,
      preview: material.kind === 'evidence' && material.requiresPreview === true,
    };
  }
  return {
    caseId: '',
    serviceId: definition.id,
    serviceVersion: definition.version,
    department: definition.department,
    coReviewers: [...definition.coReviewers],
    applicant: null,
    form: {},
    bundleId: null,
    materials,
    evidence: {},
    providers: {},
    commitment: false,
    submittedOn: null,
    intakeDueOn: null,
    supplement: { requested: false, items: [], requestedOn: null, dueOn: null },
    acceptedOn: null,
    due: null,
    extensionDaysUsed: 0,
    extensionDaysAllowed: definition.limits.extensionDays,
    suspension: null,
    jointReview: null,
    decision: null,
    certificate: null,
    commitmentVerified: false,
    cards: [],
    rating: null,
    closedOn: null,
    lastEventAt: null,
    followUps: {},
  };
}

function withMaterial(context: CaseContext, id: string, change: Partial<MaterialState>): CaseContext {
  const current = context.materials[id];
  if (!current) return context;
  return { ...context, materials: { ...context.materials, [id]: { ...current, ...change } } };
}

function withRecalculatedLimit(c: CaseContext, moved: RecalculatedLimit): CaseContext {
  switch (moved.limit) {
    case 'intake':
      return { ...c, intakeDueOn: moved.dueOn };
    case 'supplement':
      return { ...c, supplement: { ...c.supplement, dueOn: moved.dueOn } };
    case 'complaint':
      return c.complaint ? { ...c, complaint: { ...c.complaint, dueOn: moved.dueOn } } : c;
    case 'followUp': {
      const owed = moved.materialId === undefined ? undefined : c.followUps[moved.materialId];
      // Reminders are raised for a due date; the moved date gets its own yellow and red cards.
      return owed ? { ...c, followUps: { ...c.followUps, [moved.materialId!]: { ...owed, dueOn: moved.dueOn, reminders: [] } } } : c;
    }
  }
}

/** Whether every limit an event moves is, in the case now, the running one it says it moved (its start and old date). */
export function limitsAsRecorded(c: CaseContext, limits: readonly RecalculatedLimit[]): boolean {
  return limits.length > 0 && limits.every((moved) => {
    switch (moved.limit) {
      case 'intake':
        return c.intakeDueOn === moved.previous && c.receivedOn === moved.from;
      case 'supplement':
        return c.supplement.dueOn === moved.previous && c.supplement.requestedOn === moved.from;
      case 'complaint':
        return c.complaint?.dueOn === moved.previous && c.complaint.openedOn === moved.from && c.complaint.answeredOn === null && !c.complaint.overdue;
      case 'followUp': {
        const owed = moved.materialId === undefined ? undefined : c.followUps[moved.materialId];
        return owed?.dueOn === moved.previous && owed.since === moved.from && owed.providedOn === null;
      }
    }
  });
}

type Handler<K extends keyof CaseEventMap> = (context: CaseContext, data: CaseEventMap[K]) => CaseContext;

const EVOLVE: { [K in keyof CaseEventMap]: Handler<K> } = {
  ApplicationDrafted: (c, d) => ({ ...c, caseId: d.caseId, applicant: d.applicant, form: d.form, bundleId: d.bundleId, ...(d.agent ? { agent: d.agent } : {}) }),
  DraftUpdated: (c, d) => ({ ...c, form: d.form }),
  MaterialUploaded: (c, d) => withMaterial(c, d.materialId, { status: 'uploaded' }),
  ApplicationSubmitted: (c, d) => {
    let next: CaseContext = { ...c, commitment: d.commitment, submittedOn: d.submittedOn, receivedOn: d.submittedOn, intakeDueOn: d.intakeDueOn };
    for (const material of Object.values(c.materials)) {
      if (material.kind === 'evidence' && material.status === 'to_fetch' && material.explicitRequest && !d.explicitRequests.includes(material.id)) {
        next = withMaterial(next, material.id, { status: 'upload_required', unavailableReason: 'applicant chose to upload' });
      }
    }
    return next;
  },
  SupplementRequested: (c, d) => ({ ...c, supplement: { requested: true, items: d.items.map((i) => i.materialId), requestedOn: d.requestedOn, dueOn: d.dueOn } }),
  SupplementProvided: (c, d) => ({
    ...c,
    intakeDueOn: d.intakeDueOn ?? c.intakeDueOn,
    // Only where the intake limit started again from the supplement (events written before the rule keep the old day).
    receivedOn: d.intakeDueOn ? d.providedOn : c.receivedOn,
    supplement: { ...c.supplement, dueOn: null },
  }),
  CaseNotAccepted: (c, d) => ({ ...c, closedOn: d.decidedOn, notAcceptedOn: d.decidedOn }),
  CaseAccepted: (c, d) => ({ ...c, acceptedOn: d.acceptedOn, due: d.due }),
  EvidenceRequested: (c, d) => ({
    ...d.items.reduce((acc, item) => withMaterial(acc, item.materialId, { status: 'fetching' }), c),
    providers: { ...c.providers, ...Object.fromEntries(d.items.map((item) => [item.materialId, item.provider])) },
  }),
  EvidenceReceived: (c, d) => ({
    ...withMaterial(c, d.materialId, {
      status: c.materials[d.materialId]?.preview ? 'awaiting_preview' : 'received',
      qualityIssues: d.qualityIssues,
      provisional: d.provisional === true,
    }),
    evidence: { ...c.evidence, [d.materialId]: d.fields },
  }),
  EvidenceUnavailable: (c, d) => withMaterial(c, d.materialId, { status: 'upload_required', unavailableReason: d.reason }),
  EvidenceConflictFlagged: (c, d) => withMaterial(c, d.materialId, { conflicted: true, conflictFields: d.conflicts.map((x) => x.field) }),
  EvidencePreviewConfirmed: (c, d) => withMaterial(c, d.materialId, { status: 'received' }),
  EvidencePreviewRefused: (c, d) => {
    const { [d.materialId]: _refused, ...evidence } = c.evidence;
    return { ...withMaterial(c, d.materialId, { status: 'upload_required', unavailableReason: 'applicant refused the preview' }), evidence };
  },
  EvidenceGatheringCompleted: (c) => c,
  JointReviewStarted: (c, d) => ({ ...c, jointReview: { departments: d.departments, opinions: {}, advisory: d.advisory ?? [], revision: null } }),
  OpinionGiven: (c, d) =>
    c.jointReview ? { ...c, jointReview: { ...c.jointReview, opinions: { ...c.jointReview.opinions, [d.department]: d.opinion } } } : c,
  RevisionRequested: (c, d) =>
    c.jointReview ? { ...c, jointReview: { ...c.jointReview, revision: { departments: d.departments, items: d.items.map((i) => i.materialId), uploaded: [] } } } : c,
  CaseClaimed: (c, d) => ({ ...c, holders: { ...c.holders, [d.department]: d.clerkId } }),
  CaseAssigned: (c, d) => ({ ...c, holders: { ...c.holders, [d.department]: d.clerkId } }),
  CaseReleased: (c, d) => ({ ...c, holders: Object.fromEntries(Object.entries(c.holders ?? {}).filter(([department]) => department !== d.department)) }),
  RevisionSupplementProvided: (c, d) => {
    if (!c.jointReview) return c;
    const opinions = Object.fromEntries(Object.entries(c.jointReview.opinions).filter(([department]) => !d.departments.includes(department)));
    return { ...c, jointReview: { ...c.jointReview, opinions, revision: null } };
  },
  DeadlineExtended: (c, d) => ({ ...c, due: d.due, extensionDaysUsed: c.extensionDaysUsed + d.days }),
  CaseSuspended: (c, d) => ({ ...c, suspension: { kind: d.kind, reason: d.reason, since: d.suspendedOn } }),
  CaseResumed: (c, d) => ({
    ...c,
    suspension: null,
    due: d.due,
    suspendedPeriods: [...(c.suspendedPeriods ?? []), ...(c.suspension ? [{ since: c.suspension.since, resumedOn: d.resumedOn }] : [])],
  }),
  DeadlinesRecalculated: (c, d) => ({ ...c, due: d.due }),
  TimeLimitsRecalculated: (c, d) => d.limits.reduce(withRecalculatedLimit, c),
  DeadlineWarningRaised: (c, d) => ({ ...c, cards: [...c.cards, `${d.limit}:${d.dueOn}:yellow`] }),
  DeadlineOverdue: (c, d) => ({ ...c, cards: [...c.cards, `${d.limit}:${d.dueOn}:red`] }),
  CaseApproved: (c, d) => ({ ...c, decision: { outcome: 'approved', by: d.by, on: d.decidedOn, reasons: d.reasons } }),
  CaseDenied: (c, d) => ({ ...c, decision: { outcome: 'denied', by: 'clerk', on: d.decidedOn, reasons: d.reasons } }),
  CertificateIssued: (c, d) => ({
    ...c,
    certificate: { certificateNo: d.certificateNo, certificateType: d.certificateType, issuedOn: d.issuedOn, validUntil: d.validUntil },
  }),
  CommitmentVerified: (c) => ({ ...c, commitmentVerified: true }),
  ApprovalRevoked: (c, d) => ({ ...c, closedOn: d.revokedOn }),
  CaseClosed: (c, d) => ({ ...c, closedOn: d.closedOn }),
  CaseWithdrawn: (c, d) => ({ ...c, closedOn: d.withdrawnOn }),
  CaseRated: (c, d) => ({ ...c, rating: d.score }),
  InstantApprovalWithheld: (c) => c,
  FollowUpRequired: (c, d) => ({
    ...c,
    followUps: { ...c.followUps, ...Object.fromEntries(d.items.map((i) => [i.materialId, { since: d.recordedOn, dueOn: i.dueOn, providedOn: null, reminders: [] }])) },
  }),
  FollowUpProvided: (c, d) => {
    const current = c.followUps[d.materialId];
    return current ? { ...c, followUps: { ...c.followUps, [d.materialId]: { ...current, providedOn: d.providedOn } } } : c;
  },
  FollowUpReminderRaised: (c, d) => {
    const current = c.followUps[d.materialId];
    return current ? { ...c, followUps: { ...c.followUps, [d.materialId]: { ...current, reminders: [...current.reminders, d.level] } } } : c;
  },
  FeeAssessed: (c, d) => ({ ...c, fee: { amount: d.amount, currency: d.currency, waivedBy: d.waivedBy, payBeforeCertificate: d.payBeforeCertificate, paid: null, refunded: 0 } }),
  PaymentRequired: (c) => c,
  PaymentReceived: (c, d) =>
    c.fee ? { ...c, fee: { ...c.fee, paid: { paymentId: d.paymentId, provider: d.provider, providerRef: d.providerRef, amount: d.amount, paidAt: d.paidAt, ...(d.refundDue ? { refundDue: d.refundDue } : {}) } } } : c,
  PaymentOrdersClosed: (c, d) => (c.fee ? { ...c, fee: { ...c.fee, ordersClosedOn: d.closedOn } } : c),
  PaymentRefunded: (c, d) => (c.fee ? { ...c, fee: { ...c.fee, refunded: c.fee.refunded + d.amount, refundIds: [...(c.fee.refundIds ?? []), d.refundId] } } : c),
  PaymentRefundFailed: (c, d) => (c.fee ? { ...c, fee: { ...c.fee, failedRefundIds: [...(c.fee.failedRefundIds ?? []), d.refundId] } } : c),
  ReconsiderationRequested: (c, d) => ({ ...c, reconsideration: { appealCaseId: d.appealCaseId, requestedOn: d.requestedOn, outcome: null } }),
  ReconsiderationDecided: (c, d) => (c.reconsideration ? { ...c, reconsideration: { ...c.reconsideration, outcome: d.outcome } } : c),
  LegalHoldPlaced: (c, d) => ({ ...c, holds: { ...c.holds, [d.holdId]: d } }),
  LegalHoldLifted: (c, d) => ({ ...c, holds: Object.fromEntries(Object.entries(c.holds ?? {}).filter(([id]) => id !== d.holdId)) }),
  ComplaintOpened: (c, d) => ({ ...c, complaint: { openedOn: d.openedOn, dueOn: d.dueOn, answeredOn: null, overdue: false } }),
  ComplaintAnswered: (c, d) => (c.complaint ? { ...c, complaint: { ...c.complaint, answeredOn: d.respondedOn } } : c),
  ComplaintOverdue: (c) => (c.complaint ? { ...c, complaint: { ...c.complaint, overdue: true } } : c),
  // Crypto-shredding changes no fact the lifecycle reads: the values read back as erased, the case stays as it was.
  SubjectKeysShredded: (c) => c,
};

/** The decision a reconsideration may be asked against: a denial or a refusal to accept, with its date. */
export function contestedDecision(context: CaseContext): string | null {
  if (context.decision?.outcome === 'denied') return context.decision.on;
  return context.notAcceptedOn ?? null;
}

/** The fee still to pay (fen): 0 when none was assessed, it was waived, or it is paid. */
export function feeOwed(context: CaseContext): number {
  const fee = context.fee;
  return fee && fee.paid === null ? fee.amount : 0;
}

/** Whether the certificate may be issued as far as the fee goes: nothing the service wants paid first is unpaid. */
export function feeSettled(context: CaseContext): boolean {
  return !context.fee?.payBeforeCertificate || feeOwed(context) === 0;
}

/** Whether a refund id is spent on the case: refunded, or failed at the provider. */
export function refundOnRecord(context: CaseContext, refundId: string): boolean {
  return context.fee?.refundIds?.includes(refundId) === true || context.fee?.failedRefundIds?.includes(refundId) === true;
}

/** What may still be refunded of the payment (fen). */
export function refundable(context: CaseContext): number {
  const fee = context.fee;
  return fee?.paid ? fee.paid.amount - fee.refunded : 0;
}

/** Pure context update for one event; the machine decides whether the event may happen, this says what it changes. */
export function evolve(context: CaseContext, event: CaseEvent, at: string | null): CaseContext {
  const handler = EVOLVE[event.type] as Handler<typeof event.type>;
  const next = handler(context, event.data as never);
  return at === null ? next : { ...next, lastEventAt: at };
}

/** Follow-up obligations not yet met, by material id. */
export function openFollowUps(context: CaseContext): string[] {
  return Object.entries(context.followUps).filter(([, f]) => f.providedOn === null).map(([id]) => id);
}

export function isSettled(material: MaterialState): boolean {
  return material.status === 'received' || material.status === 'uploaded';
}

/**
 * Evidence gathering is complete when no fetch or preview is still in flight and every key material is in. A
 * non-key material still missing does not hold the case up (容缺受理): it can be supplied later.
 */
export function gatheringComplete(context: CaseContext): boolean {
  return Object.values(context.materials).every((m) => {
    if (m.status === 'fetching' || m.status === 'awaiting_preview') return false;
    return isSettled(m) || !m.key;
  });
}

/** Binding co-reviewers (consent required by law) that said "deny": the lead cannot approve while any stands. */
export function vetoes(context: CaseContext): string[] {
  const review = context.jointReview;
  if (!review) return [];
  return review.departments.filter((d) => review.opinions[d] === 'deny' && !(review.advisory ?? []).includes(d));
}

/** A material uploaded while a revision waits for it counts towards that revision. */
export function noteRevisionUpload(context: CaseContext, materialId: string): CaseContext {
  const revision = context.jointReview?.revision;
  if (!context.jointReview || !revision || !revision.items.includes(materialId) || revision.uploaded.includes(materialId)) return context;
  return { ...context, jointReview: { ...context.jointReview, revision: { ...revision, uploaded: [...revision.uploaded, materialId] } } };
}
