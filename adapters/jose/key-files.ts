/**
 * Keys on disk: JWKS files of trusted public keys (refused whole when any key is wrong, so a bad file stops the
 * process at start rather than weakening it), and private signing keys kept as a JWK with kid, mode 0600, created
 * on first use with their public JWKS written beside them.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../durable-file.ts';
import { generateSigningKey, parseJwks, publicJwk, type VerificationKey } from './keys.ts';

export interface KeyFiles {
  privateKey: string;
  jwks: string;
}

/** The verified keys of a JWKS file; a missing, unreadable or invalid file is an error naming the file. */
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

/** A JWKS file's document (checked when it becomes a key set), or undefined when there is no such file. */
export function readJwksFile(file: string): { keys: unknown[] } | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as { keys: unknown[] };
}

/**
 * The key in files.privateKey, or a new EC P-256 key written there; either way its JWKS is (re)written, naming it
 * first and keeping every other public key the file named (a JWKS that does not read stops the start, untouched).
 *
 * Two processes starting on one folder at the same moment (an API and a worker, two API processes on shared storage)
 * both find no key and each makes one: written in place, the last writer's key was in the file while the first
 * signed with its own, so what it signed did not verify against the published keys. The new key is only placed if no
 * file is there yet; otherwise the one that is, whoever made it, is the key. `between` runs after a key was made and
 * before it is placed: where another process may act (tests act there).
 */
export function loadOrCreateSigningKey(files: KeyFiles, kidPrefix: string, between?: () => void): { kid: string; privateKey: KeyObject } {
  let key = existsSync(files.privateKey) ? readSigningKey(files.privateKey) : null;
  if (key === null) {
    const generated = generateSigningKey(`${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`);
    between?.();
    const placed = writeFileDurably(files.privateKey, JSON.stringify({ ...generated.privateKey.export({ format: 'jwk' }), kid: generated.kid }), { mode: 0o600, exclusive: true });
    key = placed ? generated : readSigningKey(files.privateKey);
  }
  // The keys it replaced stay published after it: what they signed (log heads an auditor kept, certificates, gateway
  // answers) must still verify once the key is rotated or its file lost.
  const earlier = existsSync(files.jwks) ? loadJwksFile(files.jwks).filter((known) => known.kid !== key.kid) : [];
  const keys = [publicJwk(key.kid, key.privateKey), ...earlier.map((known) => publicJwk(known.kid, known.key))];
  writeFileDurably(files.jwks, JSON.stringify({ keys }, null, 2), { mode: 0o644 });
  return key;
}

/** The kid of the signing key in `file`, or null when there is none (moved away) or it cannot be read. */
export function signingKeyId(file: string): string | null {
  try {
    const { kid } = JSON.parse(readFileSync(file, 'utf8')) as { kid?: unknown };
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

function readSigningKey(file: string): { kid: string; privateKey: KeyObject } {
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as { kid?: string };
  if (typeof jwk.kid !== 'string') throw new Error(`${file}: the key has no "kid"`);
  return { kid: jwk.kid, privateKey: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) };
}
