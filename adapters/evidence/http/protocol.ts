/**
 * The evidence exchange wire protocol between the platform and a department gateway (X-Road style: signed
 * request naming the end user, the case and the purpose; signed response; a log at each end).
 *
 * Request:  POST <gateway>/evidence, no body, `Authorization: Bearer <JWT>` signed by the platform (ES256/RS256,
 *           kid in the header). Claims: iss = platform, aud = department code, iat, exp (lifetime <= 120 s), jti
 *           (unique; a gateway refuses a jti it has seen), and the request itself: dataItem, subject {type,id},
 *           fields, purpose {caseId, serviceId, legalBasis}, requester (consuming department), and optionally rid:
 *           the request key, the same for every retry of one evidence request (unlike jti). A gateway that already
 *           answered that key answers the same again without a second delivery from the department's data, and
 *           refuses the key with 409 when the rest of the request differs from what it answered.
 * Response: the EvidenceResult as JSON, or problem+json; header X-Errand-Signature = JWT signed by the gateway with
 *           claims iss = department, aud = platform, req = the request's jti, sha256 = base64url SHA-256 of the
 *           exact body bytes. The platform verifies it before believing a single field.
 */
import { createHash } from 'node:crypto';

export const EVIDENCE_PATH = '/evidence';
export const ACCESS_LOG_PATH = '/access-log';
export const JWKS_PATH = '/.well-known/jwks.json';
export const SIGNATURE_HEADER = 'x-errand-signature';
export const MAX_REQUEST_LIFETIME_SECONDS = 120;
export const DEFAULT_PLATFORM_ISSUER = 'errand';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Claims of a platform request token, besides iss/aud/iat/exp/jti. */
export interface RequestClaims {
  dataItem: string;
  subject: { type: 'person' | 'enterprise'; id: string };
  fields: string[];
  purpose: { caseId: string; serviceId: string; legalBasis: string };
  requester: string;
  /** The request key: one per evidence request, kept across the platform's retries (see above). */
  rid?: string;
}

/** A request key: what a platform may send as `rid`. */
export const REQUEST_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/** Claims of a gateway response signature, besides iss/aud/iat/exp. */
export interface ResponseClaims {
  req: string;
  sha256: string;
}

export function bodyDigest(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** The audience of a token an auditor uses to read a gateway's access log. */
export function auditAudience(department: string): string {
  return `access-log.${department}`;
}
