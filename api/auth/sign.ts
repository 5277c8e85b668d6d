/**
 * Token signing, for development sign-in, the mint-token script and tests. Production tokens come from the
 * identity platform; this only has to produce what the verifier accepts. It stays on jsonwebtoken (synchronous,
 * durations like '8h'); adapters/jose/index.ts says why, and verifies everything it signs.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { jwkThumbprint } from '../../adapters/jose/index.ts';

export interface Signer {
  kid: string;
  alg: 'ES256' | 'RS256' | 'HS256';
  key: KeyObject | string;
  issuer: string;
  audience: string;
  /** The public half, for a JWKS; absent for HS256. */
  publicJwk: (JsonWebKey & { kid: string; alg: string; use: 'sig' }) | null;
}

export interface SignerIdentity {
  issuer: string;
  audience: string;
}

/** A signer from a PEM private key (EC P-256 -> ES256, RSA -> RS256); the kid defaults to the key's thumbprint. */
export function signerFromPrivateKey(pem: string | KeyObject, identity: SignerIdentity, kid?: string): Signer {
  const key = typeof pem === 'string' ? createPrivateKey(pem) : pem;
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  let alg: 'ES256' | 'RS256';
  if (key.asymmetricKeyType === 'ec' && jwk.crv === 'P-256') alg = 'ES256';
  else if (key.asymmetricKeyType === 'rsa') alg = 'RS256';
  else throw new Error(`signing keys must be EC P-256 (ES256) or RSA (RS256), got ${key.asymmetricKeyType ?? 'unknown'} ${jwk.crv ?? ''}`.trim());
  const id = kid ?? jwkThumbprint(jwk);
  return { kid: id, alg, key, ...identity, publicJwk: { ...jwk, kid: id, alg, use: 'sig' } };
}

export function hs256Signer(secret: string, identity: SignerIdentity): Signer {
  return { kid: 'hs256', alg: 'HS256', key: secret, ...identity, publicJwk: null };
}

export interface SignOptions {
  /** Seconds or a duration such as '1h'; ignored when the claims carry `exp` themselves. Default 1 hour. */
  expiresIn?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
}

/** Claims may override iss / aud / exp / nbf, which is how tests produce tokens the verifier must refuse. */
export function signToken(signer: Signer, claims: Record<string, unknown>, options: SignOptions = {}): string {
  const payload: Record<string, unknown> = { iss: signer.issuer, aud: signer.audience, ...claims };
  const signOptions: jwt.SignOptions = {
    algorithm: signer.alg,
    ...(signer.alg === 'HS256' ? {} : { keyid: signer.kid }),
    ...(payload.exp === undefined ? { expiresIn: options.expiresIn ?? '1h' } : {}),
  };
  return jwt.sign(payload, signer.key, signOptions);
}
