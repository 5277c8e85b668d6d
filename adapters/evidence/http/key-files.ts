/**
 * Where the evidence exchange keeps its keys on disk, so a platform and its gateways keep trusting each other
 * across restarts. On one machine the defaults just work (the gateway reads the platform's JWKS from the data
 * directory and the platform reads each gateway's); across machines the .jwks.json files are copied out of band.
 * Private keys are written with mode 0600 and never leave the process that made them (adapters/jose/key-files.ts).
 *
 *   <dataDir>/evidence/platform-key.json         the platform's private request-signing key (JWK with kid)
 *   <dataDir>/evidence/platform.jwks.json        its public half, for gateways to trust
 *   <dataDir>/evidence/gateway-<DEPT>-key.json   a gateway's private response-signing key
 *   <dataDir>/evidence/gateway-<DEPT>.jwks.json  its public half, for the platform to pin
 */
import { join } from 'node:path';
import type { KeyFiles } from '../../jose/index.ts';

export { loadOrCreateSigningKey, readJwksFile } from '../../jose/index.ts';
export type { KeyFiles } from '../../jose/index.ts';

export function platformKeyFiles(dataDir: string): KeyFiles {
  return { privateKey: join(dataDir, 'evidence', 'platform-key.json'), jwks: join(dataDir, 'evidence', 'platform.jwks.json') };
}

export function gatewayKeyFiles(dataDir: string, department: string): KeyFiles {
  return { privateKey: join(dataDir, 'evidence', `gateway-${department}-key.json`), jwks: join(dataDir, 'evidence', `gateway-${department}.jwks.json`) };
}
