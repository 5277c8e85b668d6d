import type { CaseRecorded } from '../shared/events.ts';
import { nextStatus } from '../shared/status.ts';
import type { QueueCase } from './document.ts';

export function newQueueCase(event: Extract<CaseRecorded, { type: 'ApplicationDrafted' }>, department: string | null): QueueCase {
  return {
    caseId: event.data.caseId, serviceId: event.data.serviceId, serviceVersion: event.data.serviceVersion, department, status: 'draft', resumeTo: null,
    submittedAt: null, intakeDueOn: null, supplementDueOn: null, acceptedOn: null, receiptNo: null, due: null, cards: [], jointDepartments: [], opinionsFrom: [],
    commitment: false, commitmentVerified: false, decidedOn: null, certificateIssued: false, withheld: null, followUps: {}, items: [], revision: '-1',
  };
}

/** The bookkeeping after one case event; `items` is left for the projector, which knows what it wrote. */
export function evolveQueueCase(state: QueueCase, event: CaseRecorded): QueueCase {
  const track = nextStatus({ status: state.status, resumeTo: state.resumeTo }, event.type);
  const next: QueueCase = { ...state, status: track.status ?? state.status, resumeTo: track.resumeTo, revision: event.revision.toString() };
  switch (event.type) {
    case 'ApplicationSubmitted':
      Object.assign(next, { submittedAt: event.metadata.occurredAt, intakeDueOn: event.data.intakeDueOn, commitment: event.data.commitment });
      break;
    case 'SupplementRequested':
      next.supplementDueOn = event.data.dueOn;
      break;
    case 'CaseAccepted':
      Object.assign(next, { acceptedOn: event.data.acceptedOn, receiptNo: event.data.receiptNo, due: event.data.due });
      break;
    case 'DeadlineExtended':
    case 'DeadlinesRecalculated':
    case 'CaseResumed':
      next.due = event.data.due;
      break;
    case 'TimeLimitsRecalculated':
      for (const moved of event.data.limits) {
        if (moved.limit === 'intake') next.intakeDueOn = moved.dueOn;
        else if (moved.limit === 'supplement') next.supplementDueOn = moved.dueOn;
        else if (moved.limit === 'complaint' && next.complaint) next.complaint = { ...next.complaint, dueOn: moved.dueOn };
        else if (moved.limit === 'followUp' && moved.materialId !== undefined && next.followUps?.[moved.materialId]) {
          // Its red flag was raised for the old date; the moved date earns its own.
          next.followUps = { ...next.followUps, [moved.materialId]: { dueOn: moved.dueOn, red: false } };
        }
      }
      break;
    case 'DeadlineWarningRaised':
      next.cards = [...state.cards, `${event.data.limit}:${event.data.dueOn}:yellow`];
      break;
    case 'DeadlineOverdue':
      next.cards = [...state.cards, `${event.data.limit}:${event.data.dueOn}:red`];
      break;
    case 'JointReviewStarted':
      Object.assign(next, { jointDepartments: event.data.departments, opinionsFrom: [] });
      break;
    case 'OpinionGiven':
      next.opinionsFrom = [...state.opinionsFrom, event.data.department];
      break;
    case 'CaseClaimed':
    case 'CaseAssigned':
      next.holders = { ...state.holders, [event.data.department]: event.data.clerkId };
      break;
    case 'CaseReleased':
      next.holders = Object.fromEntries(Object.entries(state.holders ?? {}).filter(([department]) => department !== event.data.department));
      break;
    case 'RevisionSupplementProvided':
      next.opinionsFrom = state.opinionsFrom.filter((d) => !event.data.departments.includes(d));
      break;
    case 'CaseApproved':
    case 'CaseDenied':
      next.decidedOn = event.data.decidedOn;
      break;
    case 'CertificateIssued':
      next.certificateIssued = true;
      break;
    case 'CommitmentVerified':
      next.commitmentVerified = true;
      break;
    case 'InstantApprovalWithheld':
      next.withheld = withheldNote(event.data.kind, event.data.reasons);
      break;
    case 'FollowUpRequired':
      next.followUps = { ...(state.followUps ?? {}), ...Object.fromEntries(event.data.items.map((i) => [i.materialId, { dueOn: i.dueOn, red: false }])) };
      break;
    case 'FollowUpProvided': {
      const { [event.data.materialId]: _met, ...rest } = state.followUps ?? {};
      next.followUps = rest;
      break;
    }
    case 'ComplaintOpened':
      next.complaint = { dueOn: event.data.dueOn, red: false };
      break;
    case 'ComplaintAnswered':
      next.complaint = null;
      break;
    case 'ComplaintOverdue':
      if (state.complaint) next.complaint = { ...state.complaint, red: true };
      break;
    case 'PaymentReceived':
      if (event.data.refundDue) next.refundDue = event.data.amount;
      break;
    case 'PaymentRefunded':
      if (state.refundDue !== undefined) {
        const left = state.refundDue - event.data.amount;
        if (left > 0) next.refundDue = left;
        else delete next.refundDue;
      }
      break;
    case 'FollowUpReminderRaised': {
      const owed = state.followUps?.[event.data.materialId];
      if (owed && event.data.level === 'red') next.followUps = { ...state.followUps, [event.data.materialId]: { ...owed, red: true } };
      break;
    }
  }
  return next;
}

/**
 * Why 秒批 referred the case, as the queue shows it: which conditions, never the values they read. A rule's reasons
 * quote what the evidence held (`…, got 0`) for the clerk who opens the case, a read logged as a use of the
 * applicant's data; the queue lists every case of the department to every clerk, unlogged. Doubts name fields only.
 */
function withheldNote(kind: 'doubtful_data' | 'conditions_not_met', reasons: readonly string[]): string {
  if (kind === 'doubtful_data') return reasons.join('; ');
  // Each reason starts with the condition's `material.field` (or `material:` when its evidence is missing).
  return reasons.map((reason) => `${reason.split(' ', 1)[0]!.replace(/:$/, '')}: not met`).join('; ');
}
