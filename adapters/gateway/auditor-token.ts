/**
 * A department's auditors read their gateway's access log with a short token signed by a key the gateway trusts
 * for that purpose (by default the gateway's own key: the department holds it, the platform does not).
 */
import jwt from 'jsonwebtoken';
import { algorithmOf, toPrivateKey, type KeyInput, type VerificationKey } from '../evidence/http/keys.ts';
import { auditAudience } from '../evidence/http/protocol.ts';

const MAX_AUDIT_TOKEN_SECONDS = 300;

export function createAuditorToken(options: { privateKey: KeyInput; kid: string; department: string; auditor: string; ttlSeconds?: number }): string {
  const key = toPrivateKey(options.privateKey);
  return jwt.sign({}, key, {
    algorithm: algorithmOf(key),
    keyid: options.kid,
    issuer: options.department,
    subject: options.auditor,
    audience: auditAudience(options.department),
    expiresIn: Math.min(options.ttlSeconds ?? 120, MAX_AUDIT_TOKEN_SECONDS),
  });
}

/** The auditor's id, or null when the token does not verify. */
export function verifyAuditorToken(authorization: string | undefined, keys: Map<string, VerificationKey>, department: string, nowMs: number): string | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  const key = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (!key) return null;
  try {
    const payload = jwt.verify(token, key.key, {
      algorithms: [key.alg],
      issuer: department,
      audience: auditAudience(department),
      clockTimestamp: Math.floor(nowMs / 1000),
      clockTolerance: 5,
    }) as jwt.JwtPayload;
    if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > MAX_AUDIT_TOKEN_SECONDS) return null;
    return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
  } catch {
    return null;
  }
}
