/** A PSB gateway in front of the demo library on a loopback port, with the keys and helpers the gateway suites use. */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createDemoLibraryProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { createPlatformRequestSigner, type PlatformRequestSigner } from '../../adapters/evidence/index.ts';
import type { EvidenceProvider, EvidenceRequest } from '../../domain/ports/evidence.ts';
import { createMemoryAccessLog } from '../../adapters/gateway/access-log/index.ts';
import type { AccessLog } from '../../adapters/gateway/access-log/index.ts';
import { createGatewayApp, type GatewayOptions } from '../../adapters/gateway/index.ts';
import { listen, type Listening } from '../../adapters/gateway/index.ts';
import { demoLibrary, shippedCatalogue } from '../contract/evidence-fixtures.ts';

export interface GatewayFixture {
  url: string;
  department: string;
  signer: PlatformRequestSigner;
  platformKey: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  gatewayKey: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  accessLog: AccessLog;
  close(): Promise<void>;
}

export async function startGateway(overrides: Partial<GatewayOptions> = {}, department = 'PSB'): Promise<GatewayFixture> {
  const catalogue = shippedCatalogue();
  const platformKey = generateSigningKey('platform-2026');
  const gatewayKey = generateSigningKey(`${department}-gw-2026`);
  const accessLog = overrides.accessLog ?? createMemoryAccessLog();
  const library: EvidenceProvider = createDemoLibraryProvider({ library: demoLibrary(), catalogue });
  const app = createGatewayApp({
    department,
    catalogue,
    library,
    platformPublicKeys: { [platformKey.kid]: platformKey.publicKey },
    gatewaySigningKey: { kid: gatewayKey.kid, privateKey: gatewayKey.privateKey },
    accessLog,
    ...overrides,
  });
  const server: Listening = await listen(app);
  return {
    url: server.url,
    department,
    signer: createPlatformRequestSigner({ privateKey: platformKey.privateKey, kid: platformKey.kid }),
    platformKey,
    gatewayKey,
    accessLog,
    close: () => server.close(),
  };
}

/** A token signed however a test wants: the claims of `request`, plus overrides of the registered claims. */
export function tokenFor(request: EvidenceRequest, key: KeyObject, options: jwt.SignOptions & { payload?: Record<string, unknown> } = {}): string {
  const { payload, ...signOptions } = options;
  return jwt.sign({ ...request, ...payload }, key, { algorithm: 'ES256', issuer: 'errand', audience: 'PSB', expiresIn: 60, jwtid: `t-${Math.random().toString(36).slice(2)}`, ...signOptions });
}

export async function postEvidence(url: string, token: string | null): Promise<{ status: number; type: string; body: Record<string, unknown>; signature: string | null }> {
  const response = await fetch(`${url}/evidence`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
    signature: response.headers.get('x-errand-signature'),
  };
}
