/**
 * The one place signed log heads touch JOSE, kept narrow (sign a payload, verify a compact JWS against a public JWK)
 * so it can be pointed at the project's shared JOSE module without touching its callers. The payload is signed as
 * its RFC 8785 canonical JSON, and the protected header names its type, so a head can never pass for a gateway
 * request signed with the same platform key.
 */
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, importJWK, type JWK } from 'jose';
import { canonicalJson } from '../../domain/json/canonical-json.ts';

export const LOG_HEAD_TYPE = 'errand-log-head+jws';

export interface HeadSigner {
  readonly kid: string;
  sign(payload: Record<string, unknown>): Promise<string>;
  publicJwk(): Promise<JWK>;
}

function algorithmOf(key: KeyObject): 'ES256' | 'RS256' | 'EdDSA' {
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new TypeError(`cannot sign log heads with a ${key.asymmetricKeyType} key`);
}

export function headSigner(privateKey: KeyObject, kid: string): HeadSigner {
  const alg = algorithmOf(privateKey);
  return {
    kid,
    async sign(payload) {
      return new CompactSign(new TextEncoder().encode(canonicalJson(payload))).setProtectedHeader({ alg, kid, typ: LOG_HEAD_TYPE }).sign(privateKey);
    },
    async publicJwk() {
      const { d: _private, ...jwk } = await exportJWK(privateKey);
      return { ...jwk, kid, alg, use: 'sig' };
    },
  };
}

/** The signed payload, or throws when the signature, the type or the key does not hold. */
export async function verifyHeadJws(jws: string, publicJwk: JWK): Promise<Record<string, unknown>> {
  const alg = typeof publicJwk.alg === 'string' ? publicJwk.alg : publicJwk.kty === 'RSA' ? 'RS256' : publicJwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
  const key = await importJWK(publicJwk, alg);
  const { payload, protectedHeader } = await compactVerify(jws, key, { algorithms: [alg] });
  if (protectedHeader.typ !== LOG_HEAD_TYPE) throw new Error(`not a log head (typ ${String(protectedHeader.typ)})`);
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}
