import type { CaseEventType } from '../../../domain/case/events.ts';
import type { CaseRecorded } from '../shared/events.ts';
import type { TimelineEntry } from './document.ts';

/**
 * What the timeline keeps of an event: materials, departments, dates, numbers and outcomes, which are not personal
 * data. Free text (reasons, comments, notes) and field values stay in their own sections, shown to those entitled.
 * Facts rather than sentences, so each page can say them in its own language.
 */
export type TimelineFact = string | number | boolean | string[];
export type TimelineFacts = Record<string, TimelineFact>;

/**
 * Events a person decides, on the case as their screen showed it: their timeline entry names that revision
 * (`seenRevision`, from the command's If-Match), so anyone may open the case exactly as the decider saw it.
 */
export const DECISION_EVENTS: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'SupplementRequested', 'CaseNotAccepted', 'CaseAccepted', 'JointReviewStarted', 'OpinionGiven', 'RevisionRequested', 'DeadlineExtended',
  'CaseSuspended', 'CaseResumed', 'CaseApproved', 'CaseDenied', 'CertificateIssued', 'CommitmentVerified', 'ApprovalRevoked',
]);

export function timelineFacts(event: CaseRecorded): TimelineFacts {
  const facts = eventFacts(event);
  const seen = event.metadata.seenRevision;
  return seen !== undefined && DECISION_EVENTS.has(event.type) ? { ...facts, seenRevision: seen } : facts;
}

function eventFacts(event: CaseRecorded): TimelineFacts {
  switch (event.type) {
    case 'ApplicationDrafted':
      return { serviceId: event.data.serviceId, serviceVersion: event.data.serviceVersion };
    case 'MaterialUploaded':
      return { materialId: event.data.materialId };
    case 'ApplicationSubmitted':
      return { commitment: event.data.commitment };
    case 'SupplementRequested':
      return { materialIds: event.data.items.map((i) => i.materialId), dueOn: event.data.dueOn };
    case 'SupplementProvided':
      return { materialIds: event.data.materialIds };
    case 'CaseNotAccepted':
      return { decidedOn: event.data.decidedOn };
    case 'CaseAccepted':
      return { deemed: event.data.deemed, receiptNo: event.data.receiptNo, promisedOn: event.data.due.promised };
    case 'EvidenceRequested':
      return { materialIds: event.data.items.map((i) => i.materialId), providers: event.data.items.map((i) => i.provider) };
    case 'EvidenceReceived':
      return { materialId: event.data.materialId, provider: event.data.provider, trustLevel: event.data.trustLevel };
    case 'EvidenceUnavailable':
      return { materialId: event.data.materialId, provider: event.data.provider, reason: event.data.reason };
    case 'EvidenceConflictFlagged':
      return { materialId: event.data.materialId, fields: event.data.conflicts.map((c) => c.field) };
    case 'EvidencePreviewConfirmed':
    case 'EvidencePreviewRefused':
      return { materialId: event.data.materialId };
    case 'JointReviewStarted':
      return { departments: event.data.departments };
    case 'OpinionGiven':
      return { department: event.data.department, opinion: event.data.opinion };
    case 'RevisionRequested':
      return { departments: event.data.departments, materialIds: event.data.items.map((i) => i.materialId) };
    case 'CaseClaimed':
    case 'CaseReleased':
      return { department: event.data.department, clerkId: event.data.clerkId };
    case 'CaseAssigned':
      return { department: event.data.department, clerkId: event.data.clerkId, assignedBy: event.data.assignedBy };
    case 'RevisionSupplementProvided':
      return { departments: event.data.departments, materialIds: event.data.materialIds };
    case 'DeadlineExtended':
      return { days: event.data.days, promisedOn: event.data.due.promised };
    case 'DeadlinesRecalculated':
      return { promisedOn: event.data.due.promised, statutoryOn: event.data.due.statutory, calendarVersion: event.data.calendarVersion };
    case 'TimeLimitsRecalculated': {
      // Parallel lists (the facts are flat): the i-th limit is now due on the i-th date; follow-ups name their materials.
      const materialIds = event.data.limits.flatMap((l) => (l.materialId === undefined ? [] : [l.materialId]));
      return {
        limits: event.data.limits.map((l) => l.limit),
        dueOns: event.data.limits.map((l) => l.dueOn),
        ...(materialIds.length ? { materialIds } : {}),
        calendarVersion: event.data.calendarVersion,
        ...(event.data.suspendedOn === undefined ? {} : { suspendedOn: event.data.suspendedOn }),
      };
    }
    case 'CaseSuspended':
      return { kind: event.data.kind };
    case 'CaseResumed':
      return { promisedOn: event.data.due.promised };
    case 'DeadlineWarningRaised':
    case 'DeadlineOverdue':
      return { limit: event.data.limit, dueOn: event.data.dueOn };
    case 'CaseApproved':
      return { by: event.data.by };
    case 'CertificateIssued':
      return { certificateNo: event.data.certificateNo };
    case 'CaseRated':
      return { score: event.data.score };
    case 'InstantApprovalWithheld':
      return { kind: event.data.kind };
    case 'FollowUpRequired':
      return { materialIds: event.data.items.map((i) => i.materialId), dueOn: event.data.items[0]?.dueOn ?? '' };
    case 'FollowUpProvided':
      return { materialId: event.data.materialId };
    case 'FollowUpReminderRaised':
      return { materialId: event.data.materialId, dueOn: event.data.dueOn, level: event.data.level };
    case 'FeeAssessed':
      return { amount: event.data.amount, ...(event.data.waivedBy ? { waivedBy: event.data.waivedBy } : {}), payBeforeCertificate: event.data.payBeforeCertificate };
    case 'PaymentReceived':
      return { amount: event.data.amount, ...(event.data.refundDue ? { refundDue: true } : {}) };
    case 'PaymentRequired':
    case 'PaymentRefunded':
    case 'PaymentRefundFailed':
      return { amount: event.data.amount };
    case 'PaymentOrdersClosed':
      return { orders: event.data.orderIds.length };
    case 'ReconsiderationRequested':
      return { appealCaseId: event.data.appealCaseId, reviewingBody: event.data.reviewingBody, deadline: event.data.deadline };
    case 'ReconsiderationDecided':
      return { appealCaseId: event.data.appealCaseId, outcome: event.data.outcome };
    case 'LegalHoldPlaced':
      return { holdId: event.data.holdId, basis: event.data.basis };
    case 'LegalHoldLifted':
      return { holdId: event.data.holdId };
    case 'SubjectKeysShredded':
      return { reason: event.data.reason, shreddedOn: event.data.shreddedOn, ...(event.data.rule ? { rule: event.data.rule } : {}) };
    case 'ComplaintOpened':
      return { score: event.data.score, dueOn: event.data.dueOn };
    case 'ComplaintAnswered':
      return { department: event.data.department };
    case 'ComplaintOverdue':
      return { dueOn: event.data.dueOn };
    default:
      return {};
  }
}

const yuan = (fen: TimelineFact | undefined) => (typeof fen === 'number' ? (fen / 100).toFixed(2) : '?');
const list = (value: TimelineFact | undefined) => (Array.isArray(value) && value.length ? value.join(', ') : 'none');

/** The timeline line in English, as the API serves it beside the facts. */
export function timelineSummary(type: CaseEventType, f: TimelineFacts): string {
  switch (type) {
    case 'ApplicationDrafted':
      return `Application drafted for ${f.serviceId} v${f.serviceVersion}`;
    case 'DraftUpdated':
      return 'Draft updated';
    case 'MaterialUploaded':
      return `Material ${f.materialId} uploaded`;
    case 'ApplicationSubmitted':
      return f.commitment ? 'Application submitted with a written commitment' : 'Application submitted';
    case 'SupplementRequested':
      return `Supplement requested: ${list(f.materialIds)}, due ${f.dueOn}`;
    case 'SupplementProvided':
      return `Supplement provided: ${list(f.materialIds)}`;
    case 'CaseNotAccepted':
      return `Not accepted on ${f.decidedOn}`;
    case 'CaseAccepted':
      return `${f.deemed ? 'Deemed accepted' : 'Accepted'}, receipt ${f.receiptNo}, promised by ${f.promisedOn}`;
    case 'EvidenceRequested': {
      const providers = Array.isArray(f.providers) ? f.providers : [];
      return `Evidence requested: ${list(Array.isArray(f.materialIds) ? f.materialIds.map((id, i) => `${id} from ${providers[i]}`) : [])}`;
    }
    case 'EvidenceReceived':
      return `Evidence ${f.materialId} received from ${f.provider} (trust ${f.trustLevel})`;
    case 'EvidenceUnavailable':
      return `Evidence ${f.materialId} unavailable from ${f.provider}: ${f.reason}`;
    case 'EvidenceConflictFlagged':
      return `Conflicting values in ${f.materialId}: ${list(f.fields)}`;
    case 'EvidencePreviewConfirmed':
      return `Evidence ${f.materialId} confirmed by the applicant`;
    case 'EvidencePreviewRefused':
      return `Evidence ${f.materialId} refused by the applicant`;
    case 'EvidenceGatheringCompleted':
      return 'All materials in';
    case 'JointReviewStarted':
      return `Joint review with ${list(f.departments)}`;
    case 'OpinionGiven':
      return `Opinion of ${f.department}: ${f.opinion}`;
    case 'CaseClaimed':
      return `Claimed by ${f.clerkId} (${f.department})`;
    case 'CaseReleased':
      return `Released by ${f.department}`;
    case 'CaseAssigned':
      return `Assigned to ${f.clerkId} (${f.department}) by ${f.assignedBy}`;
    case 'RevisionRequested':
      return `Sent back after a veto by ${list(f.departments)}: the applicant supplies ${list(f.materialIds)}`;
    case 'RevisionSupplementProvided':
      return `Materials supplied; ${list(f.departments)} to give a revised opinion`;
    case 'DeadlineExtended':
      return `Deadline extended by ${f.days} days, promised by ${f.promisedOn}`;
    case 'DeadlinesRecalculated':
      return `Due dates recalculated for the published holidays: promised by ${f.promisedOn}, statutory ${f.statutoryOn}`;
    case 'TimeLimitsRecalculated': {
      const dueOns = Array.isArray(f.dueOns) ? f.dueOns : [];
      const limits = Array.isArray(f.limits) ? f.limits.map((limit, i) => `${limit} by ${dueOns[i] ?? '?'}`) : [];
      const why = typeof f.suspendedOn === 'string' ? `moved by the days suspended from ${f.suspendedOn}` : 'recalculated for the published holidays';
      return `Time limits ${why}: ${limits.length ? limits.join(', ') : 'none'}${Array.isArray(f.materialIds) ? ` (owed: ${list(f.materialIds)})` : ''}`;
    }
    case 'CaseSuspended':
      return `Suspended for ${String(f.kind).replace('_', ' ')}`;
    case 'CaseResumed':
      return `Resumed, promised by ${f.promisedOn}`;
    case 'DeadlineWarningRaised':
      return `Yellow card: ${f.limit} due ${f.dueOn}`;
    case 'DeadlineOverdue':
      return `Red card: ${f.limit} due ${f.dueOn} passed`;
    case 'CaseApproved':
      return `Approved by ${f.by}`;
    case 'CaseDenied':
      return 'Denied';
    case 'CertificateIssued':
      return `Certificate ${f.certificateNo} issued`;
    case 'CommitmentVerified':
      return 'Commitment verified';
    case 'ApprovalRevoked':
      return 'Approval revoked';
    case 'CaseClosed':
      return 'Closed';
    case 'CaseWithdrawn':
      return 'Withdrawn by the applicant';
    case 'CaseRated':
      return `Rated ${f.score}/5`;
    case 'InstantApprovalWithheld':
      return f.kind === 'doubtful_data' ? 'Not approved automatically: doubtful data, a clerk decides' : 'Not approved automatically: a condition does not hold, a clerk decides';
    case 'FollowUpRequired':
      return `Accepted without ${list(f.materialIds)}: to be provided by ${f.dueOn}`;
    case 'FollowUpProvided':
      return `Owed material ${f.materialId} provided`;
    case 'FollowUpReminderRaised':
      return `${f.level === 'red' ? 'Red' : 'Yellow'} card: ${f.materialId} owed by ${f.dueOn}`;
    case 'FeeAssessed':
      return f.waivedBy ? `Fee waived (${f.waivedBy})` : `Fee of ${yuan(f.amount)} CNY assessed${f.payBeforeCertificate ? ', payable before the certificate' : ''}`;
    case 'PaymentRequired':
      return `Waiting for payment of ${yuan(f.amount)} CNY`;
    case 'PaymentReceived':
      return `Fee of ${yuan(f.amount)} CNY paid${f.refundDue ? ' after the approval was revoked: to be refunded' : ''}`;
    case 'PaymentRefunded':
      return `${yuan(f.amount)} CNY refunded`;
    case 'PaymentRefundFailed':
      return `Refund of ${yuan(f.amount)} CNY failed at the provider: nothing went back`;
    case 'PaymentOrdersClosed':
      return f.orders ? 'Payment orders closed at the provider: the fee can no longer be paid' : 'No payment order was open: the fee can no longer be paid';
    case 'ReconsiderationRequested':
      return `Administrative reconsideration requested at ${f.reviewingBody} (case ${f.appealCaseId})`;
    case 'ReconsiderationDecided':
      return f.outcome === 'overturned' ? 'Reconsideration: the decision is overturned'
        : f.outcome === 'withdrawn' ? 'Reconsideration withdrawn by the applicant: the decision stands'
          : f.outcome === 'notAccepted' ? 'Reconsideration not accepted by the reviewing body: the decision stands'
            : 'Reconsideration: the decision is upheld';
    case 'ComplaintOpened':
      return `Low rating (${f.score}/5): the department answers by ${f.dueOn}`;
    case 'ComplaintAnswered':
      return `${f.department} answered the rating`;
    case 'ComplaintOverdue':
      return `Red card: the answer to the rating was due ${f.dueOn}`;
    case 'SubjectKeysShredded':
      return `Personal data erased (${f.reason}) on ${f.shreddedOn}`;
    case 'LegalHoldPlaced':
      return `Legal hold ${f.holdId} placed (${f.basis})`;
    case 'LegalHoldLifted':
      return `Legal hold ${f.holdId} lifted`;
  }
}

/**
 * The view as the API serves it: each timeline entry with its English summary. A view an earlier projector version
 * stored (still serving while the new version is rebuilt) kept the sentence itself, and is served as it is.
 */
export function withTimelineSummaries<V extends { timeline: TimelineEntry[] }>(view: V): Omit<V, 'timeline'> & { timeline: Array<TimelineEntry & { summary: string }> } {
  return {
    ...view,
    timeline: view.timeline.map((entry) => {
      const stored = entry as TimelineEntry & { summary?: string };
      if (!stored.facts) return { ...stored, summary: stored.summary ?? '' };
      return { ...entry, summary: timelineSummary(entry.type, entry.facts) };
    }),
  };
}
