import type { SubjectType } from '../catalogue/index.ts';

/** X-Road style: every request names the end user, the case and the purpose. */
export interface EvidenceRequest {
  dataItem: string;
  subject: { type: SubjectType; id: string };
  fields: string[];
  purpose: { caseId: string; serviceId: string; legalBasis: string };
  /** Department that consumes the data (the service's lead department). */
  requester: string;
  /**
   * The same for every retry of one evidence request (case + material + data item), so a department gateway serves
   * a retry from the answer it already gave instead of delivering the data a second time. Providers without such a
   * cache ignore it.
   */
  requestKey?: string;
}

export type EvidenceResult =
  | { status: 'found'; fields: Record<string, unknown>; provider: string; retrievedAt: string; /** Not final at the source. */ provisional?: boolean }
  | { status: 'no_match'; provider: string }
  | { status: 'not_yet_available'; provider: string; availableAfter?: string };

/** Thrown when the provider could not be reached or failed; the caller retries within its budget. */
export class ProviderUnavailableError extends Error {
  readonly code = 'PROVIDER_UNAVAILABLE';
  constructor(readonly provider: string, message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** Thrown when the provider refuses (sharing rules, bad signature): not retried. */
export class EvidenceRefusedError extends Error {
  readonly code = 'EVIDENCE_REFUSED';
  constructor(readonly provider: string, message: string) {
    super(message);
    this.name = 'EvidenceRefusedError';
  }
}

export interface FetchOptions {
  /** Aborts the call (the worker's per-call timeout); the provider then rejects with ProviderUnavailableError. */
  signal?: AbortSignal;
}

/**
 * Answers with ONLY the requested fields (data minimisation), every one of them present (null when the source has
 * no value). `provider` in the result is the department code of the data item's provider, whichever route served
 * it. Sharing rules are enforced on every route: a request the catalogue does not allow, for an unknown item, or
 * for fields the item does not have is refused with EvidenceRefusedError.
 */
export interface EvidenceProvider {
  readonly name: string;
  fetch(request: EvidenceRequest, options?: FetchOptions): Promise<EvidenceResult>;
  close?(): Promise<void>;
}
