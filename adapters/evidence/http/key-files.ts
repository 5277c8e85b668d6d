/**
 * Where the evidence exchange keeps its keys on disk, so a platform and its gateways keep trusting each other
 * across restarts. On one machine the defaults just work (the gateway reads the platform's JWKS from the data
 * directory and the platform reads each gateway's); across machines the .jwks.json files are copied out of band.
 * Private keys are written with mode 0600 and never leave the process that made them.
 *
 *   <dataDir>/evidence/platform-key.json         the platform's private request-signing key (JWK with kid)
 *   <dataDir>/evidence/platform.jwks.json        its public half, for gateways to trust
 *   <dataDir>/evidence/gateway-<DEPT>-key.json   a gateway's private response-signing key
 *   <dataDir>/evidence/gateway-<DEPT>.jwks.json  its public half, for the platform to pin
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateSigningKey, publicJwk, type PublicKeySetInput } from './keys.ts';

export interface KeyFiles {
  privateKey: string;
  jwks: string;
}

export function platformKeyFiles(dataDir: string): KeyFiles {
  return { privateKey: join(dataDir, 'evidence', 'platform-key.json'), jwks: join(dataDir, 'evidence', 'platform.jwks.json') };
}

export function gatewayKeyFiles(dataDir: string, department: string): KeyFiles {
  return { privateKey: join(dataDir, 'evidence', `gateway-${department}-key.json`), jwks: join(dataDir, 'evidence', `gateway-${department}.jwks.json`) };
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

/** A JWKS file's keys, or undefined when there is no such file. */
export function readJwksFile(file: string): PublicKeySetInput | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PublicKeySetInput;
}
