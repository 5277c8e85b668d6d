/**
 * Public keys for RS256 / ES256 tokens, from a JWKS document. Each key is bound to one algorithm by its type, so a
 * token cannot pick how its own key is interpreted (the algorithm confusion attack). Several keys with distinct
 * `kid`s are how keys rotate: the issuer signs with the new key while tokens signed with the old one stay valid.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type AsymmetricAlgorithm = 'RS256' | 'ES256';

export interface VerificationKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  key: KeyObject;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function algorithmOf(jwk: JsonWebKey, where: string): AsymmetricAlgorithm {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`${where}: only RSA keys (RS256) and EC P-256 keys (ES256) are accepted, got kty ${String(jwk.kty)}${jwk.crv ? ` crv ${jwk.crv}` : ''}`);
}

export function parseJwks(document: unknown, source: string): VerificationKey[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`${source}: expected a JWKS document { "keys": [...] }`);
  const result: VerificationKey[] = [];
  const seen = new Set<string>();
  keys.forEach((entry: unknown, index) => {
    const jwk = entry as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
    const where = `${source} key ${index}`;
    if (typeof jwk !== 'object' || jwk === null) throw new Error(`${where}: not an object`);
    // A private key in a file of trusted public keys means it was copied to the wrong place: refuse to start.
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw new Error(`${where}: contains private key material; publish only public keys`);
    if (jwk.use !== undefined && jwk.use !== 'sig') return;
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${where}: every key needs a "kid" so tokens can name it`);
    if (seen.has(jwk.kid)) throw new Error(`${where}: kid "${jwk.kid}" appears twice`);
    const alg = algorithmOf(jwk, where);
    if (jwk.alg !== undefined && jwk.alg !== alg) throw new Error(`${where}: alg ${String(jwk.alg)} is not accepted for this key; expected ${alg}`);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch (error) {
      throw new Error(`${where}: not a valid public key (${(error as Error).message})`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (alg === 'RS256' && bits !== undefined && bits < 2048) throw new Error(`${where}: RSA keys need at least 2048 bits, got ${bits}`);
    seen.add(jwk.kid);
    result.push({ kid: jwk.kid, alg, key });
  });
  return result;
}

export function loadJwksFile(path: string): VerificationKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`JWT keys file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`JWT keys file ${path} is not valid JSON`);
  }
  return parseJwks(document, `JWT keys file ${path}`);
}
