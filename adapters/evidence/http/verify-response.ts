/** The platform believes a gateway's answer only when the gateway's signature covers these exact body bytes. */
import jwt from 'jsonwebtoken';
import type { VerificationKey } from './keys.ts';
import { bodyDigest, type ResponseClaims } from './protocol.ts';

export interface ResponseCheck {
  signature: string | undefined;
  body: Buffer;
  keys: Map<string, VerificationKey>;
  department: string;
  platformIssuer: string;
  /** The jti of the request this answers: a signed answer to another request is not an answer to this one. */
  requestId: string;
  clockToleranceSeconds?: number;
}

/** null when the signature holds; otherwise the reason. */
export function responseSignatureProblem(check: ResponseCheck): string | null {
  if (!check.signature) return 'the response carries no signature';
  const decoded = jwt.decode(check.signature, { complete: true });
  const kid = decoded?.header.kid;
  if (!decoded || typeof kid !== 'string') return 'the response signature is malformed or names no key';
  const key = check.keys.get(kid);
  if (!key) return `the response is signed with unknown key "${kid}"`;
  let claims: ResponseClaims & jwt.JwtPayload;
  try {
    claims = jwt.verify(check.signature, key.key, {
      algorithms: [key.alg],
      issuer: check.department,
      audience: check.platformIssuer,
      clockTolerance: check.clockToleranceSeconds ?? 30,
    }) as ResponseClaims & jwt.JwtPayload;
  } catch (error) {
    return `the response signature does not verify: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (claims.req !== check.requestId) return 'the response is signed for another request';
  if (claims.sha256 !== bodyDigest(check.body)) return 'the response body does not match its signature';
  return null;
}
