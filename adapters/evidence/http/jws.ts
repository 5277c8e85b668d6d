/**
 * Compact JWS (RFC 7515) with ES256 and RS256 only, on node:crypto's one-shot sign and verify. The exchange signs
 * and verifies four times per item (request and response, at each end); this costs about half what a general JWT
 * library costs per operation, and does nothing else: the algorithm is fixed by the key (never by the header), no
 * "none", no HMAC, no embedded keys (jwk/jku/x5u headers are ignored), and an ES256 signature must be exactly r||s.
 * Tokens are interoperable with any JWT library (the suites cross-check with jsonwebtoken both ways).
 */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { ExchangeAlgorithm, VerificationKey } from './keys.ts';

export interface JwsHeader {
  alg: ExchangeAlgorithm;
  kid: string;
  typ?: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function options(alg: ExchangeAlgorithm, key: KeyObject) {
  return alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
}

export function signJws(payload: Record<string, unknown>, key: KeyObject, alg: ExchangeAlgorithm, kid: string): string {
  const input = `${encode({ alg, typ: 'JWT', kid })}.${encode(payload)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), options(alg, key)).toString('base64url')}`;
}

/** Header and payload without any check: only for recording what a refused token claimed. */
export function decodeUnverified(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = decodeJson(parts[0] as string);
  const payload = decodeJson(parts[1] as string);
  if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
}

export type JwsVerification = { ok: true; key: VerificationKey; payload: Record<string, unknown> } | { ok: false; reason: string };

/** Checks the structure, the key named by kid, the algorithm that key fixes, and the signature. Claims are next. */
export function verifyJws(token: string, keys: Map<string, VerificationKey>): JwsVerification {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return { ok: false, reason: 'the token is malformed' };
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head) as Partial<JwsHeader> | undefined;
  if (typeof header !== 'object' || header === null) return { ok: false, reason: 'the token is malformed' };
  if (header.alg !== 'ES256' && header.alg !== 'RS256') return { ok: false, reason: `token algorithm "${String(header.alg)}" is not accepted; use ES256 or RS256` };
  if (typeof header.kid !== 'string' || header.kid === '') return { ok: false, reason: 'the token names no key (kid)' };
  const key = keys.get(header.kid);
  if (!key) return { ok: false, reason: `the token is signed with unknown key "${header.kid}"` };
  if (key.alg !== header.alg) return { ok: false, reason: `key "${key.kid}" is ${key.alg}, the token says ${header.alg}` };
  const bytes = Buffer.from(signature, 'base64url');
  if (key.alg === 'ES256' && bytes.length !== 64) return { ok: false, reason: 'the token signature is invalid' };
  let valid = false;
  try {
    valid = cryptoVerify('sha256', Buffer.from(`${head}.${body}`), options(key.alg, key.key), bytes);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'the token signature is invalid' };
  const payload = decodeJson(body);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, reason: 'the token payload is not a JSON object' };
  return { ok: true, key, payload: payload as Record<string, unknown> };
}

export interface ClaimRules {
  issuer: string;
  audience: string;
  nowSeconds: number;
  toleranceSeconds: number;
  /** exp - iat may not exceed this; iat and exp are then both required. */
  maxLifetimeSeconds?: number;
}

/** null when the registered claims hold; otherwise the reason. exp is always required. */
export function claimsProblem(payload: Record<string, unknown>, rules: ClaimRules): string | null {
  const { exp, nbf, iat, iss, aud } = payload;
  if (typeof exp !== 'number') return 'the token has no expiry (exp)';
  if (rules.nowSeconds > exp + rules.toleranceSeconds) return 'the token has expired';
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > rules.nowSeconds + rules.toleranceSeconds)) return 'the token is not valid yet';
  if (iat !== undefined && (typeof iat !== 'number' || iat > rules.nowSeconds + rules.toleranceSeconds)) return 'the token is issued in the future';
  if (iss !== rules.issuer) return `the token is not issued by ${rules.issuer}`;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(rules.audience)) return `the token is not addressed to ${rules.audience}`;
  if (rules.maxLifetimeSeconds !== undefined) {
    if (typeof iat !== 'number') return 'the token needs iat and exp';
    if (exp - iat > rules.maxLifetimeSeconds) return `the token lives longer than ${rules.maxLifetimeSeconds} s`;
  }
  return null;
}
