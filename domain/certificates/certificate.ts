/**
 * Electronic certificates (电子证照) as documents: the credential a department signs, the lifecycle events that end a
 * certificate's validity, its status on a given day, and what a verifier may learn without the holder's consent.
 * Pure: signing, rendering and storage live in adapters/certificates.
 *
 * A certificate's life after issue is its own stream, `certificate-<number>`: `CertificateRevoked` (the issuing
 * department withdrew it) and `CertificateExpired` (recorded the first time the platform finds it past its
 * validity). Status never waits for that record: a certificate past `validUntil` is expired on that day whether or
 * not the event was written yet, so neither verification nor reuse as evidence can be late.
 */
import type { LocalizedText, SubjectType } from '../catalogue/index.ts';

export const CERTIFICATE_STREAM_PREFIX = 'certificate-';
export const CERTIFICATE_REVOKED = 'CertificateRevoked';
export const CERTIFICATE_EXPIRED = 'CertificateExpired';

/**
 * Numbers as issued (./number.ts), now and before: upper-case letters, digits and hyphens. Up to 120 characters, as
 * the current form is 14 longer than the one before and a certificate type (a catalogue id) has no length limit.
 */
export const CERTIFICATE_NUMBER_PATTERN = '^[A-Z0-9][A-Z0-9-]{2,119}$';
const NUMBER = new RegExp(CERTIFICATE_NUMBER_PATTERN);

export function isCertificateNumber(value: unknown): value is string {
  return typeof value === 'string' && NUMBER.test(value);
}

export function certificateStream(certificateNo: string): string {
  return `${CERTIFICATE_STREAM_PREFIX}${certificateNo}`;
}

export interface CertificateRevokedData {
  certificateNo: string;
  /** The case that issued it: the revocation's reason is sealed under that case's key and shredded with it. */
  caseId?: string;
  reason: string;
  revokedOn: string;
  /** Department code of the revoking department (the issuer). */
  department: string;
}

export interface CertificateExpiredData {
  certificateNo: string;
  /** The last day it was valid. */
  validUntil: string;
  recordedOn: string;
}

export type CertificateLifecycleEvent =
  | { type: typeof CERTIFICATE_REVOKED; data: CertificateRevokedData }
  | { type: typeof CERTIFICATE_EXPIRED; data: CertificateExpiredData };

/** What a department signs: the certificate as issued. The holder's personal data is in it; it is the holder's copy. */
export interface CertificateCredential {
  type: 'ErrandCertificate';
  version: 1;
  certificateNo: string;
  certificateType: string;
  name: LocalizedText;
  issuer: { department: string; name: LocalizedText };
  serviceId: string;
  issuedOn: string;
  /** Valid through this day; null: no expiry. */
  validUntil: string | null;
  holder: { type: SubjectType; id: string; name: string | null };
}

/** A signed PDF's binding: the credential plus the digest of every byte of the PDF but the signature itself. */
export interface SignedDocumentClaim {
  credential: CertificateCredential;
  document: { mediaType: 'application/pdf'; sha256: string };
}

export type CertificateStatus = 'valid' | 'revoked' | 'expired';

export interface CertificateState {
  status: CertificateStatus;
  revokedOn: string | null;
  /** Why, when revoked: the department's stated reason. Not personal data (a reason, never a field value). */
  revocationReason: string | null;
  /** Whether the expiry is already an event (the caller records one when it is not). */
  expiryRecorded: boolean;
}

/**
 * The status of a certificate on `today` (a local date), from what was issued, a revocation of the case's approval
 * (告知承诺 found false), and the certificate's own events. Revocation wins over expiry: a certificate withdrawn
 * before it ran out is reported as withdrawn.
 */
export function certificateState(
  issued: { validUntil: string | null; caseRevocation: { reason: string; revokedOn: string } | null },
  events: readonly CertificateLifecycleEvent[],
  today: string,
): CertificateState {
  const revoked = events.find((e): e is Extract<CertificateLifecycleEvent, { type: 'CertificateRevoked' }> => e.type === CERTIFICATE_REVOKED);
  const expiryRecorded = events.some((e) => e.type === CERTIFICATE_EXPIRED);
  if (issued.caseRevocation) return { status: 'revoked', revokedOn: issued.caseRevocation.revokedOn, revocationReason: issued.caseRevocation.reason, expiryRecorded };
  if (revoked) return { status: 'revoked', revokedOn: revoked.data.revokedOn, revocationReason: revoked.data.reason, expiryRecorded };
  const expired = expiryRecorded || (issued.validUntil !== null && issued.validUntil < today);
  return { status: expired ? 'expired' : 'valid', revokedOn: null, revocationReason: null, expiryRecorded };
}

/** What the holder may choose to let a verifier see, beyond the status the public always sees. */
export const DISCLOSABLE = ['holderName', 'holderId'] as const;
export type Disclosable = (typeof DISCLOSABLE)[number];

export function isDisclosable(value: unknown): value is Disclosable {
  return (DISCLOSABLE as readonly unknown[]).includes(value);
}

/** The disclosed values of a credential, for the fields the holder chose. */
export function disclosed(credential: CertificateCredential, fields: readonly Disclosable[]): Partial<Record<Disclosable, string>> {
  const out: Partial<Record<Disclosable, string>> = {};
  for (const field of fields) {
    const value = field === 'holderName' ? credential.holder.name : credential.holder.id;
    if (value !== null && value !== '') out[field] = value;
  }
  return out;
}

/** Claims of a holder's disclosure token: which certificate, which fields. Signed by the issuing department's key. */
export interface DisclosureClaims {
  typ: 'certificate-disclosure';
  sub: string;
  disclose: Disclosable[];
}

export function disclosureClaims(certificateNo: string, fields: readonly Disclosable[]): DisclosureClaims {
  return { typ: 'certificate-disclosure', sub: certificateNo, disclose: [...new Set(fields)].sort() };
}

/** The claims of a verified token, or why they are not disclosure claims for this certificate. */
export function readDisclosureClaims(payload: Record<string, unknown>, certificateNo: string): DisclosureClaims | string {
  if (payload.typ !== 'certificate-disclosure') return 'not a certificate disclosure token';
  if (payload.sub !== certificateNo) return 'the token was issued for another certificate';
  const fields = payload.disclose;
  if (!Array.isArray(fields) || !fields.every(isDisclosable)) return 'the token names fields that cannot be disclosed';
  return { typ: 'certificate-disclosure', sub: certificateNo, disclose: fields };
}
