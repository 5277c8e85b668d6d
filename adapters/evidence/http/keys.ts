/**
 * Signing and verification keys for the evidence exchange. The algorithm follows from the key (EC P-256 -> ES256,
 * RSA >= 2048 bits -> RS256), never from a token header, and nothing else is accepted: no HS256, no "none".
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, type JsonWebKey } from 'node:crypto';

export type ExchangeAlgorithm = 'ES256' | 'RS256';

/** A PEM string, a JWK, or a KeyObject. */
export type KeyInput = KeyObject | string | JsonWebKey;

export interface VerificationKey {
  kid: string;
  alg: ExchangeAlgorithm;
  key: KeyObject;
}

/** Public keys by kid: a JWKS document, a kid -> key map, or a list of VerificationKey. */
export type PublicKeySetInput = { keys: JsonWebKey[] } | Record<string, KeyInput> | VerificationKey[];

export interface SigningKey {
  kid: string;
  privateKey: KeyInput;
}

export function algorithmOf(key: KeyObject): ExchangeAlgorithm {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new RangeError(`RSA keys need at least 2048 bits, got ${bits}`);
    return 'RS256';
  }
  throw new RangeError(`only EC P-256 (ES256) and RSA (RS256) keys are accepted, got ${key.asymmetricKeyType ?? key.type}`);
}

export function toPrivateKey(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') throw new RangeError('a signing key must be a private key');
    return input;
  }
  return typeof input === 'string' ? createPrivateKey(input) : createPrivateKey({ key: input, format: 'jwk' });
}

export function toPublicKey(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) return input.type === 'private' ? createPublicKey(input) : input;
  if (typeof input === 'string') return createPublicKey(input);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = input;
  return createPublicKey({ key: publicPart, format: 'jwk' });
}

export function publicKeySet(input: PublicKeySetInput): Map<string, VerificationKey> {
  const entries: VerificationKey[] = [];
  if (Array.isArray(input)) entries.push(...input);
  else if (Array.isArray((input as { keys?: unknown }).keys)) {
    for (const jwk of (input as { keys: Array<JsonWebKey & { kid?: string; use?: string }> }).keys) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new RangeError('every key in the JWKS needs a "kid"');
      const key = toPublicKey(jwk);
      entries.push({ kid: jwk.kid, alg: algorithmOf(key), key });
    }
  } else {
    for (const [kid, raw] of Object.entries(input as Record<string, KeyInput>)) {
      const key = toPublicKey(raw);
      entries.push({ kid, alg: algorithmOf(key), key });
    }
  }
  const map = new Map<string, VerificationKey>();
  for (const entry of entries) {
    if (map.has(entry.kid)) throw new RangeError(`key id "${entry.kid}" appears twice`);
    map.set(entry.kid, entry);
  }
  return map;
}

/** The public half as a JWK with kid, alg and use, for a JWKS document. */
export function publicJwk(kid: string, key: KeyInput): JsonWebKey & { kid: string; alg: ExchangeAlgorithm; use: 'sig' } {
  const publicKey = toPublicKey(key);
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: algorithmOf(publicKey), use: 'sig' };
}

/** A fresh EC P-256 key pair (ES256): for the embedded default, tests and benches; production loads its keys. */
export function generateSigningKey(kid: string): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey };
}
