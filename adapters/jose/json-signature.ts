/**
 * Signatures over JSON documents (certificates, exports): a JWS with a detached payload (RFC 7515 appendix F)
 * whose signing input is the document's RFC 8785 canonical JSON. The document stays plain, readable JSON and the
 * signature travels beside it; any party that canonicalises the same value can check it, whatever key order or
 * whitespace the copy it holds has.
 */
import { FlattenedSign, flattenedVerify } from 'jose';
import { canonicalJson } from '../../domain/json/canonical-json.ts';
import type { KeySet, ResolvedSigningKey } from './keys.ts';
import { describeJwsFailure, type JwsFailure } from './jwt.ts';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `<protected header>..<signature>`: a compact JWS with its payload left out. */
export async function signJson(value: unknown, signing: ResolvedSigningKey): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(value))).setProtectedHeader({ alg: signing.alg, kid: signing.kid }).sign(signing.key);
  return `${jws.protected}..${jws.signature}`;
}

export type JsonVerification = { ok: true; kid: string } | { ok: false; failure: JwsFailure; reason: string };

/** Whether `signature` (from signJson) signs this value with a key of the set, under that key's own algorithm. */
export async function verifyJson(value: unknown, signature: string, keys: KeySet): Promise<JsonVerification> {
  const refuse = (failure: JwsFailure): JsonVerification => ({ ok: false, failure, reason: describeJwsFailure(failure) });
  const parts = typeof signature === 'string' ? signature.split('.') : [];
  if (parts.length !== 3 || parts[1] !== '' || !SEGMENT.test(parts[0] as string) || !SEGMENT.test(parts[2] as string)) return refuse({ code: 'malformed' });
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return refuse({ code: 'malformed' });
  }
  if (typeof header !== 'object' || header === null) return refuse({ code: 'malformed' });
  const alg = header.alg;
  if (alg !== 'ES256' && alg !== 'RS256') return refuse({ code: 'algorithm', alg: typeof alg === 'string' ? alg : undefined });
  if (typeof header.kid !== 'string' || header.kid === '') return refuse({ code: 'no-kid' });
  const key = keys.get(header.kid);
  if (!key) return refuse({ code: 'unknown-kid', kid: header.kid });
  if (key.alg !== alg) return refuse({ code: 'key-mismatch', kid: key.kid, keyAlg: key.alg, alg });
  let payload: string;
  try {
    payload = canonicalJson(value);
  } catch {
    return refuse({ code: 'payload' });
  }
  try {
    await flattenedVerify({ protected: parts[0] as string, payload: Buffer.from(payload).toString('base64url'), signature: parts[2] as string }, key.key, { algorithms: [key.alg] });
  } catch {
    return refuse({ code: 'signature' });
  }
  return { ok: true, kid: key.kid };
}
