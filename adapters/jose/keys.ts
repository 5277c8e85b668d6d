/**
 * Keys and the algorithm each one allows. The algorithm follows from the key (EC P-256 -> ES256, RSA >= 2048 bits
 * -> RS256), never from a token header, so a token cannot choose how its own key is read (algorithm confusion).
 * A key set holds several public keys by kid: that is how keys rotate (sign with the new one while tokens signed
 * with the old one stay valid). A set of trusted public keys refuses private members: a private key in such a file
 * was copied to the wrong place, and silently dropping its private half would hide the leak.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, type JsonWebKey } from 'node:crypto';

/** The asymmetric algorithms the platform signs and verifies with; HS256 exists only as the API's development option. */
export type AsymmetricAlgorithm = 'ES256' | 'RS256';

/** A PEM string, a JWK, or a KeyObject. */
export type KeyInput = KeyObject | string | JsonWebKey;

export interface VerificationKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  key: KeyObject;
}

/** Public keys by kid. */
export type KeySet = ReadonlyMap<string, VerificationKey>;

/** A JWKS document, a kid -> public key map, or a list of VerificationKey. */
export type PublicKeySetInput = { keys: readonly unknown[] } | Record<string, KeyInput> | readonly VerificationKey[];

export interface SigningKey {
  kid: string;
  privateKey: KeyInput;
}

/** A private key ready to sign: its algorithm fixed by its type. */
export interface ResolvedSigningKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  key: KeyObject;
}

export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function algorithmOf(key: KeyObject): AsymmetricAlgorithm {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new RangeError(`RSA keys need at least 2048 bits, got ${bits}`);
    return 'RS256';
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new RangeError(`only EC P-256 (ES256) and RSA (RS256) keys are accepted, got ${key.asymmetricKeyType ?? key.type}${curve ? ` ${curve}` : ''}`);
}

export function toPrivateKey(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') throw new RangeError('a signing key must be a private key');
    return input;
  }
  return typeof input === 'string' ? createPrivateKey(input) : createPrivateKey({ key: input, format: 'jwk' });
}

export function resolveSigningKey(signing: SigningKey): ResolvedSigningKey {
  const key = toPrivateKey(signing.privateKey);
  return { kid: signing.kid, alg: algorithmOf(key), key };
}

/** The public half of a private KeyObject, or a public key from PEM, JWK (public members only) or KeyObject. */
export function toPublicKey(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) return input.type === 'private' ? createPublicKey(input) : input;
  if (typeof input === 'string') {
    if (input.includes('PRIVATE KEY')) throw new RangeError('contains private key material; publish only public keys');
    return createPublicKey(input);
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => member in input)) throw new RangeError('contains private key material; publish only public keys');
  return createPublicKey({ key: input, format: 'jwk' });
}

function fromJwk(entry: unknown, where: string): VerificationKey | null {
  if (typeof entry !== 'object' || entry === null) throw new RangeError(`${where}: not an object`);
  const jwk = entry as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
  if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) throw new RangeError(`${where}: contains private key material; publish only public keys`);
  if (jwk.use !== undefined && jwk.use !== 'sig') return null;
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new RangeError(`${where}: every key needs a "kid" so tokens can name it`);
  if (jwk.kty !== 'RSA' && !(jwk.kty === 'EC' && jwk.crv === 'P-256')) {
    throw new RangeError(`${where}: only RSA keys (RS256) and EC P-256 keys (ES256) are accepted, got kty ${String(jwk.kty)}${jwk.crv ? ` crv ${jwk.crv}` : ''}`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new RangeError(`${where}: not a valid public key (${(error as Error).message})`);
  }
  let alg: AsymmetricAlgorithm;
  try {
    alg = algorithmOf(key);
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`);
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new RangeError(`${where}: alg ${String(jwk.alg)} is not accepted for this key; expected ${alg}`);
  return { kid: jwk.kid, alg, key };
}

/** Public keys by kid, every one checked: no private members, a kid each, distinct kids, an allowed key type. */
export function publicKeySet(input: PublicKeySetInput, source = 'key set'): Map<string, VerificationKey> {
  const entries: VerificationKey[] = [];
  if (Array.isArray(input)) entries.push(...(input as readonly VerificationKey[]));
  else if (Array.isArray((input as { keys?: unknown }).keys)) {
    (input as { keys: readonly unknown[] }).keys.forEach((jwk, index) => {
      const entry = fromJwk(jwk, `${source} key ${index}`);
      if (entry) entries.push(entry);
    });
  } else {
    for (const [kid, raw] of Object.entries(input as Record<string, KeyInput>)) {
      let key: KeyObject;
      try {
        key = toPublicKey(raw);
      } catch (error) {
        throw new RangeError(`${source} key "${kid}": ${(error as Error).message}`);
      }
      entries.push({ kid, alg: algorithmOf(key), key });
    }
  }
  const map = new Map<string, VerificationKey>();
  for (const entry of entries) {
    if (map.has(entry.kid)) throw new RangeError(`${source}: kid "${entry.kid}" appears twice`);
    map.set(entry.kid, entry);
  }
  return map;
}

/** The public half as a JWK with kid, alg and use, for a JWKS document. */
export function publicJwk(kid: string, key: KeyInput): JsonWebKey & { kid: string; alg: AsymmetricAlgorithm; use: 'sig' } {
  const publicKey = key instanceof KeyObject ? toPublicKey(key) : toPublicKey(toPrivateKeyOrPublic(key));
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: algorithmOf(publicKey), use: 'sig' };
}

/** A PEM or JWK that may be either half: the private one is turned into its public half here, on purpose. */
function toPrivateKeyOrPublic(input: string | JsonWebKey): KeyObject {
  const isPrivate = typeof input === 'string' ? input.includes('PRIVATE KEY') : 'd' in input;
  return isPrivate ? createPublicKey(toPrivateKey(input)) : toPublicKey(input);
}

/** A fresh EC P-256 key pair (ES256): for embedded defaults, tests and benches; production loads its keys. */
export function generateSigningKey(kid: string): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey };
}

/** The keys of a JWKS document; anything else is refused with the source named. */
export function parseJwks(document: unknown, source: string): VerificationKey[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new RangeError(`${source}: expected a JWKS document { "keys": [...] }`);
  return [...publicKeySet({ keys }, source).values()];
}
