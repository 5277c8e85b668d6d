/**
 * Agents (代办): a person applies on behalf of an enterprise, as its legal representative (法定代表人) according to
 * the legal-entity base data, or on behalf of another person (or enterprise) who recorded an authorisation (授权委托)
 * naming them. The applicant of the case is the subject (whose data the case uses, who holds the certificate); the
 * agent acts for them. Pure: the facts (the base-data record, the authorisation) come in with the command, looked up
 * by the edge, and are checked here, so a script that skips the edge is held to the same rules.
 */
import type { SubjectType } from '../catalogue/index.ts';

export type RepresentationBasis = 'legalRepresentative' | 'authorisation';

/** What the applicant asks for: whom they act for, and on what basis. */
export interface OnBehalfOf {
  type: SubjectType;
  id: string;
  basis: RepresentationBasis;
  /** basis 'authorisation': the id the grantor's authorisation was recorded under. */
  authorisationId?: string;
}

/** The legal-entity base data's answer for an enterprise: only what the check needs. */
export interface LegalEntityRecord {
  creditCode: string;
  legalRepresentativeId: string;
  status: string;
  /** The base library that answered. */
  source: string;
}

/** A recorded authorisation, as its events fold. */
export interface Authorisation {
  authorisationId: string;
  grantor: { type: SubjectType; id: string };
  agentId: string;
  /** Empty: any service. */
  serviceIds: string[];
  validFrom: string;
  validUntil: string;
  revokedOn: string | null;
}

/** The facts the edge looked up for an OnBehalfOf; null when nothing was found. */
export type RepresentationFacts =
  | { kind: 'legalRepresentative'; record: LegalEntityRecord | null }
  | { kind: 'authorisation'; authorisation: Authorisation | null };

/** The agent as the case records it. */
export interface AgentOfCase {
  id: string;
  basis: RepresentationBasis;
  authorisationId?: string;
}

const ENDED = new Set(['revoked', 'deregistered']);

/**
 * Why `agentId` may not act for `onBehalfOf` in this service today, or none. Checked: the basis fits the subject
 * (a legal representative acts for an enterprise), the facts are the ones asked about, and they name this agent,
 * this subject, this service, and hold today.
 */
export function representationProblems(
  agentId: string,
  onBehalfOf: OnBehalfOf,
  facts: RepresentationFacts | undefined,
  context: { serviceId: string; applicantType: SubjectType; today: string },
): string[] {
  const problems: string[] = [];
  if (onBehalfOf.id === agentId) problems.push('onBehalfOf: an applicant does not act on behalf of themselves');
  if (onBehalfOf.type !== context.applicantType) problems.push(`onBehalfOf.type: service ${context.serviceId} is applied for by a ${context.applicantType}, not a ${onBehalfOf.type}`);
  if (problems.length) return problems;
  if (onBehalfOf.basis === 'legalRepresentative') {
    if (onBehalfOf.type !== 'enterprise') return ['onBehalfOf.basis: only an enterprise has a legal representative'];
    const record = facts?.kind === 'legalRepresentative' ? facts.record : null;
    if (!record || record.creditCode !== onBehalfOf.id) return [`onBehalfOf.id: the legal-entity base data has no record of ${onBehalfOf.id}`];
    if (record.legalRepresentativeId !== agentId) return [`onBehalfOf: the legal-entity base data (${record.source}) does not name the applicant as the legal representative of ${onBehalfOf.id}`];
    if (ENDED.has(record.status)) return [`onBehalfOf.id: ${onBehalfOf.id} is ${record.status} in the legal-entity base data`];
    return [];
  }
  if (!onBehalfOf.authorisationId) return ['onBehalfOf.authorisationId: an authorisation is named by its id'];
  const authorisation = facts?.kind === 'authorisation' ? facts.authorisation : null;
  if (!authorisation || authorisation.authorisationId !== onBehalfOf.authorisationId) return [`onBehalfOf.authorisationId: no authorisation ${onBehalfOf.authorisationId} is recorded`];
  if (authorisation.grantor.id !== onBehalfOf.id || authorisation.grantor.type !== onBehalfOf.type) problems.push(`onBehalfOf.authorisationId: the authorisation was not given by ${onBehalfOf.id}`);
  if (authorisation.agentId !== agentId) problems.push('onBehalfOf.authorisationId: the authorisation names another agent');
  if (authorisation.revokedOn !== null) problems.push(`onBehalfOf.authorisationId: the authorisation was revoked on ${authorisation.revokedOn}`);
  if (context.today < authorisation.validFrom || context.today > authorisation.validUntil) problems.push(`onBehalfOf.authorisationId: the authorisation is valid from ${authorisation.validFrom} to ${authorisation.validUntil}`);
  if (authorisation.serviceIds.length > 0 && !authorisation.serviceIds.includes(context.serviceId)) problems.push(`onBehalfOf.authorisationId: the authorisation does not cover ${context.serviceId}`);
  return problems;
}

/** Authorisation streams: one per authorisation, written by the grantor. */
export const AUTHORISATION_STREAM_PREFIX = 'authorisation-';
export const authorisationStream = (authorisationId: string) => `${AUTHORISATION_STREAM_PREFIX}${authorisationId}`;

export interface AuthorisationEventMap {
  AgentAuthorised: Omit<Authorisation, 'revokedOn'>;
  AgentAuthorisationRevoked: { authorisationId: string; revokedOn: string };
}

/** Folds an authorisation's stream; null for an empty or foreign stream. */
export function foldAuthorisation(events: ReadonlyArray<{ type: string; data: Record<string, unknown> }>): Authorisation | null {
  let current: Authorisation | null = null;
  for (const event of events) {
    if (event.type === 'AgentAuthorised') {
      const granted = event.data as unknown as AuthorisationEventMap['AgentAuthorised'];
      current = { authorisationId: granted.authorisationId, grantor: granted.grantor, agentId: granted.agentId, serviceIds: granted.serviceIds, validFrom: granted.validFrom, validUntil: granted.validUntil, revokedOn: null };
    } else if (event.type === 'AgentAuthorisationRevoked' && current !== null) {
      current = Object.assign({}, current as Authorisation, { revokedOn: String(event.data.revokedOn) });
    }
  }
  return current;
}
