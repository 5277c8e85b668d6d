/**
 * Keys on disk: JWKS files of trusted public keys (refused whole when any key is wrong, so a bad file stops the
 * process at start rather than weakening it), and private signing keys kept as a JWK with kid, mode 0600, created
 * on first use with their public JWKS written beside them.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** The key in files.privateKey, or a new EC P-256 key written there; either way its JWKS is (re)written. */
export function loadOrCreateSigningKey(files: KeyFiles, kidPrefix: string): { kid: string; privateKey: KeyObject } {
  let kid: string;
  let privateKey: KeyObject;
  if (existsSync(files.privateKey)) {
    const jwk = JSON.parse(readFileSync(files.privateKey, 'utf8')) as { kid?: string };
    if (typeof jwk.kid !== 'string') throw new Error(`${files.privateKey}: the key has no "kid"`);
    kid = jwk.kid;
    privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } else {
    const generated = generateSigningKey(`${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`);
    kid = generated.kid;
    privateKey = generated.privateKey;
    mkdirSync(dirname(files.privateKey), { recursive: true });
    writeFileSync(files.privateKey, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }), { mode: 0o600 });
  }
  mkdirSync(dirname(files.jwks), { recursive: true });
  writeFileSync(files.jwks, JSON.stringify({ keys: [publicJwk(kid, privateKey)] }, null, 2));
  return { kid, privateKey };
}
