/** The platform believes a gateway's answer only when the gateway's signature covers these exact body bytes. */
import { claimsProblem, describeJwsFailure, verifyJwt, type KeySet } from '../../jose/index.ts';
import { bodyDigest } from './protocol.ts';

export interface ResponseCheck {
  signature: string | undefined;
  body: Buffer;
  keys: KeySet;
  department: string;
  platformIssuer: string;
  /** The jti of the request this answers: a signed answer to another request is not an answer to this one. */
  requestId: string;
  clockToleranceSeconds?: number;
  nowMs?: number;
}

/** null when the signature holds; otherwise the reason. */
export async function responseSignatureProblem(check: ResponseCheck): Promise<string | null> {
  if (!check.signature) return 'the response carries no signature';
  const verified = await verifyJwt(check.signature, check.keys);
  if (!verified.ok) return `the response signature does not verify: ${describeJwsFailure(verified.failure)}`;
  const claims = verified.payload;
  const problem = claimsProblem(claims, {
    issuer: check.department,
    audience: check.platformIssuer,
    nowSeconds: Math.floor((check.nowMs ?? Date.now()) / 1000),
    toleranceSeconds: check.clockToleranceSeconds ?? 30,
  });
  if (problem) return `the response signature does not verify: ${problem}`;
  if (claims.req !== check.requestId) return 'the response is signed for another request';
  if (claims.sha256 !== bodyDigest(check.body)) return 'the response body does not match its signature';
  return null;
}
