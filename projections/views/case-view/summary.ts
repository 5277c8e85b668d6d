import type { CaseRecorded } from '../shared/events.ts';

const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');

/**
 * One line per event for the timeline. It names materials, departments, dates and outcomes, which are not personal
 * data; free text (reasons, comments, notes) and field values stay in their own sections, shown to those entitled.
 */
export function summarise(event: CaseRecorded): string {
  switch (event.type) {
    case 'ApplicationDrafted':
      return `Application drafted for ${event.data.serviceId} v${event.data.serviceVersion}`;
    case 'DraftUpdated':
      return 'Draft updated';
    case 'MaterialUploaded':
      return `Material ${event.data.materialId} uploaded`;
    case 'ApplicationSubmitted':
      return event.data.commitment ? 'Application submitted with a written commitment' : 'Application submitted';
    case 'SupplementRequested':
      return `Supplement requested: ${list(event.data.items.map((i) => i.materialId))}, due ${event.data.dueOn}`;
    case 'SupplementProvided':
      return `Supplement provided: ${list(event.data.materialIds)}`;
    case 'CaseNotAccepted':
      return `Not accepted on ${event.data.decidedOn}`;
    case 'CaseAccepted':
      return `${event.data.deemed ? 'Deemed accepted' : 'Accepted'}, receipt ${event.data.receiptNo}, promised by ${event.data.due.promised}`;
    case 'EvidenceRequested':
      return `Evidence requested: ${list(event.data.items.map((i) => `${i.materialId} from ${i.provider}`))}`;
    case 'EvidenceReceived':
      return `Evidence ${event.data.materialId} received from ${event.data.provider} (trust ${event.data.trustLevel})`;
    case 'EvidenceUnavailable':
      return `Evidence ${event.data.materialId} unavailable from ${event.data.provider}: ${event.data.reason}`;
    case 'EvidenceConflictFlagged':
      return `Conflicting values in ${event.data.materialId}: ${list(event.data.conflicts.map((c) => c.field))}`;
    case 'EvidencePreviewConfirmed':
      return `Evidence ${event.data.materialId} confirmed by the applicant`;
    case 'EvidencePreviewRefused':
      return `Evidence ${event.data.materialId} refused by the applicant`;
    case 'EvidenceGatheringCompleted':
      return 'All materials in';
    case 'JointReviewStarted':
      return `Joint review with ${list(event.data.departments)}`;
    case 'OpinionGiven':
      return `Opinion of ${event.data.department}: ${event.data.opinion}`;
    case 'DeadlineExtended':
      return `Deadline extended by ${event.data.days} days, promised by ${event.data.due.promised}`;
    case 'CaseSuspended':
      return `Suspended for ${event.data.kind.replace('_', ' ')}`;
    case 'CaseResumed':
      return `Resumed, promised by ${event.data.due.promised}`;
    case 'DeadlineWarningRaised':
      return `Yellow card: ${event.data.limit} due ${event.data.dueOn}`;
    case 'DeadlineOverdue':
      return `Red card: ${event.data.limit} due ${event.data.dueOn} passed`;
    case 'CaseApproved':
      return `Approved by ${event.data.by}`;
    case 'CaseDenied':
      return 'Denied';
    case 'CertificateIssued':
      return `Certificate ${event.data.certificateNo} issued`;
    case 'CommitmentVerified':
      return 'Commitment verified';
    case 'ApprovalRevoked':
      return 'Approval revoked';
    case 'CaseClosed':
      return 'Closed';
    case 'CaseWithdrawn':
      return 'Withdrawn by the applicant';
    case 'CaseRated':
      return `Rated ${event.data.score}/5`;
  }
}
