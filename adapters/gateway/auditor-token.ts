/**
 * A department's auditors read their gateway's access log with a short token signed by a key the gateway trusts
 * for that purpose (by default the gateway's own key: the department holds it, the platform does not).
 */
import { claimsProblem, signJws, verifyJws } from '../evidence/http/jws.ts';
import { algorithmOf, toPrivateKey, type KeyInput, type VerificationKey } from '../evidence/http/keys.ts';
import { auditAudience } from '../evidence/http/protocol.ts';

const MAX_AUDIT_TOKEN_SECONDS = 300;

export function createAuditorToken(options: { privateKey: KeyInput; kid: string; department: string; auditor: string; ttlSeconds?: number; nowMs?: number }): string {
  const key = toPrivateKey(options.privateKey);
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const ttl = Math.min(options.ttlSeconds ?? 120, MAX_AUDIT_TOKEN_SECONDS);
  return signJws({ iss: options.department, sub: options.auditor, aud: auditAudience(options.department), iat, exp: iat + ttl }, key, algorithmOf(key), options.kid);
}

/** The auditor's id, or null when the token does not verify. */
export function verifyAuditorToken(authorization: string | undefined, keys: Map<string, VerificationKey>, department: string, nowMs: number): string | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const verified = verifyJws(token, keys);
  if (!verified.ok) return null;
  const problem = claimsProblem(verified.payload, {
    issuer: department,
    audience: auditAudience(department),
    nowSeconds: Math.floor(nowMs / 1000),
    toleranceSeconds: 5,
    maxLifetimeSeconds: MAX_AUDIT_TOKEN_SECONDS,
  });
  const sub = verified.payload.sub;
  return problem === null && typeof sub === 'string' && sub !== '' ? sub : null;
}
