import type { CaseEventType } from '../../../domain/case/events.ts';

/** The workflow's leaf state names (workflows/case-machine.ts), so every view speaks the workflow's language. */
export type CaseStatus =
  | 'draft'
  | 'submitted'
  | 'awaitingSupplement'
  | 'notAccepted'
  | 'gatheringEvidence'
  | 'review'
  | 'jointReview'
  | 'awaitingRevision'
  | 'suspended'
  | 'approved'
  | 'certificateIssued'
  | 'denied'
  | 'closed'
  | 'withdrawn'
  | 'revoked';

const TARGET: Partial<Record<CaseEventType, CaseStatus>> = {
  ApplicationDrafted: 'draft',
  ApplicationSubmitted: 'submitted',
  SupplementRequested: 'awaitingSupplement',
  SupplementProvided: 'submitted',
  CaseNotAccepted: 'notAccepted',
  CaseAccepted: 'gatheringEvidence',
  EvidenceGatheringCompleted: 'review',
  JointReviewStarted: 'jointReview',
  RevisionRequested: 'awaitingRevision',
  RevisionSupplementProvided: 'jointReview',
  CaseSuspended: 'suspended',
  CaseApproved: 'approved',
  CaseDenied: 'denied',
  CertificateIssued: 'certificateIssued',
  CaseClosed: 'closed',
  CaseWithdrawn: 'withdrawn',
  ApprovalRevoked: 'revoked',
};

export interface StatusTrack {
  status: CaseStatus | null;
  /** Where CaseResumed returns to: the machine resumes into its deep history, i.e. the state suspension left. */
  resumeTo: CaseStatus | null;
}

/**
 * The status after an event. Stored events were accepted by the machine when written, so following the transitions
 * the machine takes is enough; events that change no state (evidence, cards, ratings) keep the status.
 */
export function nextStatus(track: StatusTrack, type: string): StatusTrack {
  if (type === 'CaseResumed') return { status: track.resumeTo ?? 'gatheringEvidence', resumeTo: null };
  if (type === 'CaseSuspended') return { status: 'suspended', resumeTo: track.status };
  const target = TARGET[type as CaseEventType];
  return target === undefined ? track : { status: target, resumeTo: track.resumeTo };
}

const FINISHED: ReadonlySet<string> = new Set<CaseStatus>(['notAccepted', 'denied', 'closed', 'withdrawn', 'revoked']);

/** Open: the case can still move on its own merits. A denial is final even before CaseClosed follows it. */
export function isOpen(status: string | null): boolean {
  return status !== null && !FINISHED.has(status);
}

/** Accepted and running against the statutory clock. */
export const PROCESSING: ReadonlySet<string> = new Set<CaseStatus>(['gatheringEvidence', 'review', 'jointReview', 'awaitingRevision', 'suspended']);
