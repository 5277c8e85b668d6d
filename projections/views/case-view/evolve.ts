import type { CaseEventMap, CaseEventType } from '../../../domain/case/events.ts';
import type { CaseRecorded } from '../shared/events.ts';
import { materialsAfter } from '../shared/materials.ts';
import { outstandingItems } from '../shared/outstanding.ts';
import { isOpen, nextStatus } from '../shared/status.ts';
import type { CaseView, Due, EvidenceEntry } from './document.ts';
import { timelineFacts } from './summary.ts';

type Patch<K extends CaseEventType> = (view: CaseView, data: CaseEventMap[K], at: string) => Partial<CaseView>;

function evidenceOf(view: CaseView, materialId: string): EvidenceEntry {
  return view.evidence[materialId] ?? {
    materialId, dataItem: '', provider: '', requestedFields: [], status: 'requested', requestedAt: null, retrievedAt: null,
    trustLevel: null, contentHash: null, qualityIssues: [], conflicts: [], unavailable: null, fields: null,
  };
}

function withEvidence(view: CaseView, materialId: string, patch: Partial<EvidenceEntry>): Partial<CaseView> {
  return { evidence: { ...view.evidence, [materialId]: { ...evidenceOf(view, materialId), ...patch } } };
}

const withDue = (due: Due): Partial<CaseView> => ({ due, promisedDueOn: due.promised, statutoryDueOn: due.statutory });

/** What each event changes besides the status, materials, outstanding items and timeline, which every event updates. */
const PATCH: { [K in CaseEventType]: Patch<K> } = {
  ApplicationDrafted: () => ({}),
  DraftUpdated: (_v, d) => ({ form: d.form }),
  MaterialUploaded: () => ({}),
  ApplicationSubmitted: (_v, d, at) => ({ submittedAt: at, submittedOn: d.submittedOn, intakeDueOn: d.intakeDueOn, commitment: d.commitment }),
  SupplementRequested: (_v, d) => ({ supplement: { requestedOn: d.requestedOn, dueOn: d.dueOn, items: d.items, providedOn: null } }),
  SupplementProvided: (v, d) => ({
    ...(v.supplement ? { supplement: { ...v.supplement, providedOn: d.providedOn } } : {}),
    ...(d.intakeDueOn ? { intakeDueOn: d.intakeDueOn } : {}),
  }),
  CaseNotAccepted: (_v, d, at) => ({ notAccepted: { reason: d.reason, decidedOn: d.decidedOn }, closedAt: at, closedOn: d.decidedOn }),
  CaseAccepted: (_v, d, at) => ({
    acceptedAt: at, acceptedOn: d.acceptedOn, receiptNo: d.receiptNo, deemedAccepted: d.deemed, missingNonKey: d.missingNonKey, ...withDue(d.due),
  }),
  EvidenceRequested: (v, d, at) => {
    let next: Partial<CaseView> = {};
    for (const item of d.items) {
      const current = { ...v, ...next } as CaseView;
      next = withEvidence(current, item.materialId, {
        dataItem: item.dataItem, provider: item.provider, requestedFields: item.fields, status: 'requested', requestedAt: at, unavailable: null,
      });
    }
    return next;
  },
  EvidenceReceived: (v, d) =>
    withEvidence(v, d.materialId, {
      dataItem: d.dataItem,
      provider: d.provider,
      status: v.materials[d.materialId]?.preview ? 'awaiting_preview' : 'received',
      retrievedAt: d.retrievedAt,
      trustLevel: d.trustLevel,
      contentHash: d.contentHash,
      qualityIssues: d.qualityIssues,
      unavailable: null,
      fields: d.fields,
    }),
  EvidenceUnavailable: (v, d) =>
    withEvidence(v, d.materialId, { dataItem: d.dataItem, provider: d.provider, status: 'unavailable', unavailable: { reason: d.reason, detail: d.detail } }),
  EvidenceConflictFlagged: (v, d) => withEvidence(v, d.materialId, { conflicts: d.conflicts }),
  EvidencePreviewConfirmed: (v, d) => withEvidence(v, d.materialId, { status: 'confirmed' }),
  // Refused evidence may not be used, so its values leave the view; the provenance stays to show what happened.
  EvidencePreviewRefused: (v, d) => withEvidence(v, d.materialId, { status: 'refused', fields: null, conflicts: [] }),
  EvidenceGatheringCompleted: () => ({}),
  JointReviewStarted: (_v, d) => ({ jointReview: { startedOn: d.startedOn, departments: d.departments, opinions: {}, advisory: d.advisory ?? [], revision: null } }),
  OpinionGiven: (v, d, at) =>
    v.jointReview
      ? { jointReview: { ...v.jointReview, opinions: { ...v.jointReview.opinions, [d.department]: { opinion: d.opinion, comment: d.comment, at } } } }
      : {},
  CaseClaimed: (v, d) => ({ holders: { ...v.holders, [d.department]: d.clerkId } }),
  CaseAssigned: (v, d) => ({ holders: { ...v.holders, [d.department]: d.clerkId } }),
  CaseReleased: (v, d) => ({ holders: Object.fromEntries(Object.entries(v.holders ?? {}).filter(([department]) => department !== d.department)) }),
  RevisionRequested: (v, d) =>
    v.jointReview ? { jointReview: { ...v.jointReview, revision: { requestedOn: d.requestedOn, departments: d.departments, items: d.items, providedOn: null } } } : {},
  // The revising departments' earlier opinions stay in the timeline; the current ones are open again.
  RevisionSupplementProvided: (v, d) =>
    v.jointReview
      ? {
          jointReview: {
            ...v.jointReview,
            opinions: Object.fromEntries(Object.entries(v.jointReview.opinions).filter(([department]) => !d.departments.includes(department))),
            revision: v.jointReview.revision ? { ...v.jointReview.revision, providedOn: d.providedOn } : null,
          },
        }
      : {},
  DeadlineExtended: (v, d, at) => ({
    ...withDue(d.due), extensionDaysUsed: v.extensionDaysUsed + d.days, extensions: [...v.extensions, { at, days: d.days, reason: d.reason, due: d.due }],
  }),
  DeadlinesRecalculated: (_v, d) => withDue(d.due),
  TimeLimitsRecalculated: (v, d) => d.limits.reduce<Partial<CaseView>>((patch, moved) => {
    const current = { ...v, ...patch };
    switch (moved.limit) {
      case 'intake':
        return { ...patch, intakeDueOn: moved.dueOn };
      case 'supplement':
        return current.supplement ? { ...patch, supplement: { ...current.supplement, dueOn: moved.dueOn } } : patch;
      case 'complaint':
        return current.complaint ? { ...patch, complaint: { ...current.complaint, dueOn: moved.dueOn } } : patch;
      case 'followUp':
        // The reminders were raised for the old date (the case's own state drops them too); the moved date earns its own.
        return {
          ...patch,
          obligations: current.obligations.map((o) => (o.materialId === moved.materialId && o.providedOn === null ? { ...o, dueOn: moved.dueOn, reminders: [] } : o)),
        };
    }
  }, {}),
  CaseSuspended: (v, d) => ({ suspensions: [...v.suspensions, { kind: d.kind, reason: d.reason, suspendedOn: d.suspendedOn, resumedOn: null, dueAfter: null }] }),
  CaseResumed: (v, d) => ({
    ...withDue(d.due),
    suspensions: v.suspensions.map((s, i) => (i === v.suspensions.length - 1 && s.resumedOn === null ? { ...s, resumedOn: d.resumedOn, dueAfter: d.due } : s)),
  }),
  DeadlineWarningRaised: (v, d) => ({ cards: [...v.cards, { limit: d.limit, dueOn: d.dueOn, level: 'yellow', raisedOn: d.raisedOn }] }),
  DeadlineOverdue: (v, d) => ({ cards: [...v.cards, { limit: d.limit, dueOn: d.dueOn, level: 'red', raisedOn: d.raisedOn }] }),
  CaseApproved: (_v, d, at) => ({ decision: { outcome: 'approved', by: d.by, decidedOn: d.decidedOn, reasons: d.reasons }, decidedAt: at, decidedOn: d.decidedOn }),
  CaseDenied: (_v, d, at) => ({ decision: { outcome: 'denied', by: 'clerk', decidedOn: d.decidedOn, reasons: d.reasons }, decidedAt: at, decidedOn: d.decidedOn }),
  CertificateIssued: (_v, d) => ({ certificate: { certificateNo: d.certificateNo, certificateType: d.certificateType, issuedOn: d.issuedOn, validUntil: d.validUntil } }),
  CommitmentVerified: (_v, d) => ({ commitmentVerifiedOn: d.verifiedOn }),
  ApprovalRevoked: (_v, d, at) => ({ revocation: { reason: d.reason, revokedOn: d.revokedOn }, closedAt: at, closedOn: d.revokedOn }),
  CaseClosed: (_v, d, at) => ({ closedAt: at, closedOn: d.closedOn }),
  CaseWithdrawn: (_v, d, at) => ({ withdrawal: { reason: d.reason, withdrawnOn: d.withdrawnOn }, closedAt: at, closedOn: d.withdrawnOn }),
  CaseRated: (_v, d, at) => ({ rating: { score: d.score, comment: d.comment, at } }),
  InstantApprovalWithheld: (_v, d) => ({ instantApproval: { kind: d.kind, reasons: d.reasons, withheldOn: d.withheldOn } }),
  FollowUpRequired: (v, d) => ({
    obligations: [...v.obligations, ...d.items.map((i) => ({ materialId: i.materialId, dueOn: i.dueOn, recordedOn: d.recordedOn, providedOn: null, reminders: [] }))],
  }),
  FollowUpProvided: (v, d) => ({ obligations: v.obligations.map((o) => (o.materialId === d.materialId && o.providedOn === null ? { ...o, providedOn: d.providedOn } : o)) }),
  FeeAssessed: (_v, d) => ({
    fee: { amount: d.amount, currency: d.currency, gross: d.gross, lines: d.lines, waivedBy: d.waivedBy, payBeforeCertificate: d.payBeforeCertificate, assessedOn: d.assessedOn, requiredOn: null, payment: null, refunds: [] },
  }),
  PaymentRequired: (v, d) => (v.fee ? { fee: { ...v.fee, requiredOn: d.requiredOn } } : {}),
  PaymentReceived: (v, d) =>
    v.fee ? { fee: { ...v.fee, payment: { paymentId: d.paymentId, provider: d.provider, providerRef: d.providerRef, amount: d.amount, paidAt: d.paidAt, ...(d.refundDue ? { refundDue: d.refundDue } : {}) } } } : {},
  PaymentOrdersClosed: (v, d) => (v.fee ? { fee: { ...v.fee, ordersClosedOn: d.closedOn } } : {}),
  PaymentRefundFailed: (v, d) => (v.fee ? { fee: { ...v.fee, failedRefunds: [...(v.fee.failedRefunds ?? []), { refundId: d.refundId, amount: d.amount, reportedAt: d.reportedAt }] } } : {}),
  PaymentRefunded: (v, d) => (v.fee ? { fee: { ...v.fee, refunds: [...v.fee.refunds, { refundId: d.refundId, amount: d.amount, reason: d.reason, refundedAt: d.refundedAt }] } } : {}),
  ReconsiderationRequested: (_v, d) => ({
    reconsideration: { appealCaseId: d.appealCaseId, reviewingBody: d.reviewingBody, requestedOn: d.requestedOn, deadline: d.deadline, outcome: null, decidedOn: null },
  }),
  ReconsiderationDecided: (v, d) => (v.reconsideration ? { reconsideration: { ...v.reconsideration, outcome: d.outcome, decidedOn: d.decidedOn } } : {}),
  LegalHoldPlaced: (v, d) => ({ legalHolds: [...(v.legalHolds ?? []), { holdId: d.holdId, reason: d.reason, basis: d.basis, placedBy: d.placedBy }] }),
  LegalHoldLifted: (v, d) => ({ legalHolds: (v.legalHolds ?? []).filter((h) => h.holdId !== d.holdId) }),
  ComplaintOpened: (_v, d) => ({ complaint: { score: d.score, openedOn: d.openedOn, dueOn: d.dueOn, response: null, respondedOn: null, overdue: false } }),
  ComplaintAnswered: (v, d) => (v.complaint ? { complaint: { ...v.complaint, response: d.response, respondedOn: d.respondedOn } } : {}),
  ComplaintOverdue: (v) => (v.complaint ? { complaint: { ...v.complaint, overdue: true } } : {}),
  FollowUpReminderRaised: (v, d) => ({
    obligations: v.obligations.map((o) => (o.materialId === d.materialId && o.dueOn === d.dueOn ? { ...o, reminders: [...o.reminders, { level: d.level, raisedOn: d.raisedOn }] } : o)),
  }),
  // Shredding shows in the timeline only; the values erased already read "erased" when the view is rebuilt.
  SubjectKeysShredded: () => ({}),
};

function clockStop(view: CaseView): Pick<CaseView, 'clockStopped' | 'clockStoppedReason'> {
  if (view.status === 'awaitingSupplement' && view.supplement) {
    return { clockStopped: true, clockStoppedReason: { kind: 'supplement', since: view.supplement.requestedOn, until: view.supplement.dueOn } };
  }
  const suspension = view.status === 'suspended' ? view.suspensions.at(-1) : undefined;
  if (suspension) return { clockStopped: true, clockStoppedReason: { kind: suspension.kind as 'hearing', since: suspension.suspendedOn, until: null } };
  return { clockStopped: false, clockStoppedReason: null };
}

function cardFlags(view: CaseView): { warning: boolean; overdue: boolean } {
  const due = view.due;
  if (!due) return { warning: false, overdue: false };
  const current = (level: 'yellow' | 'red') => view.cards.some((c) => c.level === level && c.dueOn === due[c.limit]);
  return { warning: current('yellow'), overdue: current('red') };
}

/** The view after one case event; ApplicationDrafted is applied to the fresh view newCaseView made from it. */
export function evolveCaseView(view: CaseView, event: CaseRecorded): CaseView {
  const at = event.metadata.occurredAt;
  const patch = (PATCH[event.type] as Patch<typeof event.type>)(view, event.data as never, at);
  const track = nextStatus({ status: view.status, resumeTo: view.resumeTo }, event.type);
  const next: CaseView = { ...view, ...patch, status: track.status ?? view.status, resumeTo: track.resumeTo };
  next.materials = materialsAfter(view.materials, event);
  const commitmentPending = next.commitment && next.commitmentVerifiedOn === null;
  const owed = isOpen(next.status) ? next.obligations.filter((o) => o.providedOn === null) : [];
  next.outstanding = outstandingItems(next.status, next.materials, next.supplement?.items ?? null, commitmentPending, owed);
  Object.assign(next, cardFlags(next), clockStop(next));
  next.open = isOpen(next.status);
  next.revision = event.revision.toString();
  next.updatedAt = at;
  const { actor } = event.metadata;
  next.timeline = [...view.timeline, { at, type: event.type, by: actor.department ? `${actor.kind}/${actor.department}` : actor.kind, facts: timelineFacts(event) }];
  return next;
}
