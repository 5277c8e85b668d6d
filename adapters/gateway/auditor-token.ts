/**
 * A department's auditors read their gateway's access log with a short token signed by a key the gateway trusts
 * for that purpose (by default the gateway's own key: the department holds it, the platform does not).
 */
import { claimsProblem, resolveSigningKey, signJwt, verifyJwt, type KeyInput, type KeySet } from '../jose/index.ts';
import { auditAudience } from '../evidence/index.ts';

const MAX_AUDIT_TOKEN_SECONDS = 300;

export async function createAuditorToken(options: { privateKey: KeyInput; kid: string; department: string; auditor: string; ttlSeconds?: number; nowMs?: number }): Promise<string> {
  const signing = resolveSigningKey({ kid: options.kid, privateKey: options.privateKey });
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const ttl = Math.min(options.ttlSeconds ?? 120, MAX_AUDIT_TOKEN_SECONDS);
  return signJwt({ iss: options.department, sub: options.auditor, aud: auditAudience(options.department), iat, exp: iat + ttl }, signing);
}

/** The auditor's id, or null when the token does not verify. */
export async function verifyAuditorToken(authorization: string | undefined, keys: KeySet, department: string, nowMs: number): Promise<string | null> {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const verified = await verifyJwt(token, keys);
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
