import type { CaseRecorded } from '../shared/events.ts';
import type { Counter, StatsCase } from './document.ts';

export interface Delta {
  counters: Partial<Record<Counter, number>>;
  /** "acceptedOn/decidedOn" of a decision. */
  duration?: string;
  rating?: number;
}

const add = (delta: Delta, counter: Counter, by = 1) => {
  delta.counters[counter] = (delta.counters[counter] ?? 0) + by;
};

function decision(delta: Delta, known: StatsCase, decidedOn: string): void {
  add(delta, 'decided');
  if (known.acceptedOn) delta.duration = `${known.acceptedOn}/${decidedOn}`;
  if (known.due && decidedOn <= known.due.promised) add(delta, 'onTimePromised');
  if (known.due && decidedOn <= known.due.statutory) add(delta, 'onTimeStatutory');
}

/** What one event adds to its service's and department's counters, and the case bookkeeping after it. */
export function statsDelta(known: StatsCase, event: CaseRecorded): { next: StatsCase; delta: Delta } {
  const delta: Delta = { counters: {} };
  const next: StatsCase = { ...known, revision: event.revision.toString() };
  switch (event.type) {
    case 'ApplicationSubmitted':
      next.submitted = true;
      add(delta, 'received');
      // Uploads made while drafting count once the application is really made.
      if (known.uploaded.length) add(delta, 'materialsUploaded', known.uploaded.length);
      break;
    case 'MaterialUploaded':
      if (!known.uploaded.includes(event.data.materialId)) {
        next.uploaded = [...known.uploaded, event.data.materialId];
        if (known.submitted) add(delta, 'materialsUploaded');
      }
      break;
    case 'SupplementRequested':
      if (!known.supplement) add(delta, 'supplementRequested');
      next.supplement = true;
      break;
    case 'CaseNotAccepted':
      add(delta, 'notAccepted');
      break;
    case 'CaseAccepted':
      add(delta, 'accepted');
      if (event.data.deemed) add(delta, 'deemedAccepted');
      Object.assign(next, { acceptedOn: event.data.acceptedOn, due: event.data.due });
      break;
    case 'DeadlineExtended':
    case 'DeadlinesRecalculated':
    case 'CaseResumed':
      next.due = event.data.due;
      break;
    case 'EvidenceReceived':
      if (!known.fetched.includes(event.data.materialId)) {
        next.fetched = [...known.fetched, event.data.materialId];
        add(delta, 'materialsFetched');
      }
      break;
    case 'EvidencePreviewRefused':
      // Refused evidence has to be uploaded after all: it saved the applicant no trip.
      if (known.fetched.includes(event.data.materialId)) {
        next.fetched = known.fetched.filter((id) => id !== event.data.materialId);
        add(delta, 'materialsFetched', -1);
      }
      break;
    case 'CaseApproved':
      decision(delta, known, event.data.decidedOn);
      add(delta, 'approved');
      if (event.data.by === 'rule') add(delta, 'instantApprovals');
      if (event.data.by === 'commitment') add(delta, 'commitmentApprovals');
      break;
    case 'CaseDenied':
      decision(delta, known, event.data.decidedOn);
      add(delta, 'denied');
      break;
    case 'ApprovalRevoked':
      add(delta, 'revoked');
      break;
    case 'CaseWithdrawn':
      if (known.submitted) add(delta, 'withdrawn');
      break;
    case 'CaseRated':
      add(delta, 'ratingCount');
      add(delta, 'ratingSum', event.data.score);
      if (event.data.score <= 2) add(delta, 'ratingBad');
      delta.rating = event.data.score;
      break;
  }
  return { next, delta };
}

export function isEmpty(delta: Delta): boolean {
  return Object.keys(delta.counters).length === 0 && delta.duration === undefined && delta.rating === undefined;
}
