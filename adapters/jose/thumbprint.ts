/**
 * RFC 7638 JWK thumbprints as key ids: derived from the key itself, so a kid can never point at the wrong key and
 * needs no file of its own. Synchronous (jose's calculateJwkThumbprint is async) because signers are built
 * synchronously at start-up; the unit suite checks both agree.
 */
import { createHash, type JsonWebKey } from 'node:crypto';

const REQUIRED: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], oct: ['k', 'kty'] };

export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = REQUIRED[jwk.kty ?? ''];
  if (!members) throw new Error(`no thumbprint for key type ${String(jwk.kty)}`);
  // Members in lexicographic order, no whitespace, as the RFC requires for a stable hash.
  const canonical = `{${members.map((name) => `${JSON.stringify(name)}:${JSON.stringify((jwk as Record<string, unknown>)[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
