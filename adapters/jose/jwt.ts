/**
 * Compact JWS / JWT signing and verification on jose. Before jose sees a token, the header is checked against the
 * key it names: the algorithm must be the one that key's type fixes (ES256 or RS256), so "none", HS256 with a
 * public key as the secret and every other algorithm are refused; HS256 is accepted only where a caller passes a
 * shared secret (the API's development option). Embedded keys (jwk/jku/x5u/x5c headers) are never used: the key
 * always comes from the caller's key set. Failures are codes, so each caller words them for its own audience.
 */
import { compactVerify, SignJWT } from 'jose';
import type { KeySet, ResolvedSigningKey, VerificationKey } from './keys.ts';

export type JwsFailure =
  | { code: 'malformed' }
  | { code: 'algorithm'; alg: string | undefined }
  | { code: 'no-kid' }
  | { code: 'unknown-kid'; kid: string }
  | { code: 'key-mismatch'; kid: string; keyAlg: string; alg: string }
  | { code: 'signature' }
  | { code: 'payload' };

export type JwsVerification =
  | { ok: true; alg: string; kid: string | null; key: VerificationKey | null; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; failure: JwsFailure };

export interface JwtVerifyOptions {
  /** HS256 is refused unless this is set. */
  hs256Secret?: Uint8Array | null;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const SIGNATURE = /^[A-Za-z0-9_-]*$/;

function decodeObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A JWT with kid and typ JWT in its header, signed with the key's own algorithm. */
export async function signJwt(payload: Record<string, unknown>, signing: ResolvedSigningKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: signing.alg, typ: 'JWT', kid: signing.kid }).sign(signing.key);
}

/** Header and payload without any check: only for recording what a refused token claimed. */
export function decodeUnverified(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = decodeObject(parts[0] as string);
  const payload = decodeObject(parts[1] as string);
  return header && payload ? { header, payload } : null;
}

/** Structure, algorithm allow-list, the key named by kid, then jose's signature check. Claims are checked next. */
export async function verifyJwt(token: unknown, keys: KeySet, options: JwtVerifyOptions = {}): Promise<JwsVerification> {
  const refuse = (failure: JwsFailure): JwsVerification => ({ ok: false, failure });
  if (typeof token !== 'string') return refuse({ code: 'malformed' });
  const parts = token.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[0] as string) || !SEGMENT.test(parts[1] as string) || !SIGNATURE.test(parts[2] as string)) return refuse({ code: 'malformed' });
  const header = decodeObject(parts[0] as string);
  if (!header) return refuse({ code: 'malformed' });
  const payload = decodeObject(parts[1] as string);
  if (!payload) return refuse({ code: 'payload' });
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  let verifyWith: VerificationKey['key'] | Uint8Array;
  let entry: VerificationKey | null = null;
  if (alg === 'HS256' && options.hs256Secret) {
    verifyWith = options.hs256Secret;
  } else if (alg === 'ES256' || alg === 'RS256') {
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') return refuse({ code: 'no-kid' });
    entry = keys.get(kid) ?? null;
    if (!entry) return refuse({ code: 'unknown-kid', kid });
    if (entry.alg !== alg) return refuse({ code: 'key-mismatch', kid, keyAlg: entry.alg, alg });
    verifyWith = entry.key;
  } else {
    return refuse({ code: 'algorithm', alg });
  }
  if (parts[2] === '') return refuse({ code: 'signature' });
  try {
    await compactVerify(token, verifyWith, { algorithms: [alg] });
  } catch {
    return refuse({ code: 'signature' });
  }
  return { ok: true, alg, kid: entry?.kid ?? null, key: entry, header, payload };
}

/** The exchange's wording of a failure (the gateways and the platform's response check share it). */
export function describeJwsFailure(failure: JwsFailure): string {
  switch (failure.code) {
    case 'malformed':
      return 'the token is malformed';
    case 'algorithm':
      return `token algorithm "${String(failure.alg)}" is not accepted; use ES256 or RS256`;
    case 'no-kid':
      return 'the token names no key (kid)';
    case 'unknown-kid':
      return `the token is signed with unknown key "${failure.kid}"`;
    case 'key-mismatch':
      return `key "${failure.kid}" is ${failure.keyAlg}, the token says ${failure.alg}`;
    case 'signature':
      return 'the token signature is invalid';
    case 'payload':
      return 'the token payload is not a JSON object';
  }
}
