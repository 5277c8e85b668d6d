/**
 * Case status in the views is the workflow's: the leaf state names and the transitions between them come from the
 * case machine (workflows/case-status.ts), so there is no second table of transitions here to fall behind it.
 */
import { statusAfter, type CaseStatus, type StatusTrack } from '../../../workflows/index.ts';

export type { CaseStatus, StatusTrack } from '../../../workflows/index.ts';

/** The status after an event; events that change no state (evidence, cards, ratings) keep it. */
export function nextStatus(track: StatusTrack, type: string): StatusTrack {
  return statusAfter(track, type);
}

const FINISHED: ReadonlySet<string> = new Set<CaseStatus>(['notAccepted', 'denied', 'closed', 'withdrawn', 'revoked']);

/** Open: the case can still move on its own merits. A denial is final even before CaseClosed follows it. */
export function isOpen(status: string | null): boolean {
  return status !== null && !FINISHED.has(status);
}
