/**
 * Privacy events. They name keys, rules and decisions, never a personal value, so they stay readable for as long as
 * the log exists: what was erased, when, and under which rule or request remains on record after the erasure.
 */

/** A case's subject keys were destroyed (or are about to be: see adapters/privacy/shredder.ts); on the case stream. */
export const SUBJECT_KEYS_SHREDDED = 'SubjectKeysShredded';
export const LEGAL_HOLD_PLACED = 'LegalHoldPlaced';
export const LEGAL_HOLD_LIFTED = 'LegalHoldLifted';

export type ShreddingReason = 'retention' | 'erasure-request' | 'administrator';

export interface SubjectKeysShreddedData {
  keyIds: string[];
  scope: string;
  reason: ShreddingReason;
  /** The retention rule applied (service, version, period, legal basis), or null. */
  rule: string | null;
  /** The erasure request carried out, or null. */
  requestId: string | null;
  shreddedOn: string;
}

/** A legal hold (an appeal, an investigation) keeps a case's data from being shredded until lifted. */
export interface LegalHoldData {
  holdId: string;
  reason: string;
  basis: string;
  placedBy: string;
}

/** Lifting names the hold; the rest says who lifted it and why (any of it may be absent). */
export interface LegalHoldLiftedData {
  holdId: string;
  reason?: string;
  basis?: string;
  placedBy?: string;
  liftedBy?: string;
}

/** Erasure requests: one stream per request, named by its id. */
export const ERASURE_STREAM_PREFIX = 'erasure-';
export const ERASURE_REQUESTED = 'ErasureRequested';
export const ERASURE_DECIDED = 'ErasureDecided';
/** An administrator began deciding: from here only the same decision can finish the request (an acceptance erases). */
export const ERASURE_DECISION_STARTED = 'ErasureDecisionStarted';

export interface ErasureRequestedData {
  requestId: string;
  /** The requester's keyed hash, never the ID number. */
  subjectRef: string;
  /** Cases whose data the citizen asks to erase. */
  caseIds: string[];
  /** The citizen's reason (free text: sealed like any personal value). */
  reason: string;
  requestedOn: string;
}

export interface ErasureDecisionStartedData {
  requestId: string;
  decision: 'accepted' | 'refused';
  decidedBy: string;
  startedOn: string;
}

export interface ErasureDecidedData {
  requestId: string;
  decision: 'accepted' | 'refused';
  /** Why, in words the citizen is shown (e.g. the retention rule or legal hold that blocks it). */
  explanation: string;
  decidedBy: string;
  decidedOn: string;
  /** Cases erased (accepted), and those kept with the reason. */
  erased: string[];
  kept: Array<{ caseId: string; why: 'legal-hold' | 'open' | 'unknown' }>;
}
