/**
 * Development signing key. On first start an ES256 key pair is created under DATA_DIR/keys: the private key as PEM
 * (readable by the owner only) and its public half as a JWKS, so the API, the worker and the mint-token script all
 * sign and verify with the same key without any setup.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../../adapters/durable-file.ts';
import { join } from 'node:path';
import { signerFromPrivateKey, type Signer, type SignerIdentity } from './sign.ts';

export const DEV_PRIVATE_KEY_FILE = 'dev-signing-key.pem';
export const DEV_JWKS_FILE = 'dev-jwks.json';

/** Issuer and audience match the configuration defaults (JWT_ISSUER, JWT_AUDIENCE). */
const DEFAULT_IDENTITY: SignerIdentity = { issuer: 'errand', audience: 'errand-api' };

export function devKeysDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

function readOrCreatePrivateKey(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }) as { privateKey: KeyObject };
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // Not placed when another process (the worker starting beside the API) created it first; then theirs is used.
  return writeFileDurably(path, pem, { mode: 0o600, exclusive: true }) ? pem : readFileSync(path, 'utf8');
}

/** Creates the key pair if needed and returns a signer; the JWKS beside it is rewritten from the private key. */
export function ensureDevKeys(dataDir: string, identity: SignerIdentity = DEFAULT_IDENTITY): Signer {
  const dir = devKeysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pem = readOrCreatePrivateKey(join(dir, DEV_PRIVATE_KEY_FILE));
  const signer = signerFromPrivateKey(pem, identity);
  writeFileDurably(join(dir, DEV_JWKS_FILE), `${JSON.stringify({ keys: [signer.publicJwk] }, null, 2)}\n`, { mode: 0o644 });
  return signer;
}

/** The signer's public key as a JWKS document, for createTokenVerifier({ jwks }). */
export function jwksOf(...signers: Signer[]): { keys: unknown[] } {
  return { keys: signers.flatMap((signer) => (signer.publicJwk ? [signer.publicJwk] : [])) };
}
