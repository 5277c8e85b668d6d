/**
 * The embedded default runs the department gateways in-process: each is a real gateway app on a loopback port,
 * called through the real HTTP provider, so the demo exercises signing, sharing rules and access logs end to end
 * without anything else to start. A production deployment runs scripts/gateway.ts per department instead.
 */
import type { KeyObject } from 'node:crypto';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { createHttpGatewayProvider } from '../evidence/index.ts';
import { generateSigningKey, publicJwk } from '../jose/index.ts';
import type { PlatformRequestSigner } from '../evidence/index.ts';
import type { EvidenceProvider } from '../../domain/ports/evidence.ts';
import { createMemoryAccessLog } from './access-log/memory-access-log.ts';
import type { AccessLog } from './access-log/types.ts';
import { createGatewayApp } from './create-gateway-app.ts';
import { listen, type Listening } from './listen.ts';
import type { EvidenceLogger } from '../evidence/index.ts';

export interface EmbeddedGatewaysOptions {
  catalogue: DataCatalogue;
  /** Answers for every department (the demo or SQL library provider). */
  library: EvidenceProvider;
  signer: PlatformRequestSigner;
  /** Departments to run; by default every department of the catalogue that provides items, except ERRAND. */
  departments?: string[];
  logger?: EvidenceLogger;
  timeoutMs?: number;
}

export interface EmbeddedGateway {
  department: string;
  url: string;
  publicJwk: object;
  accessLog: AccessLog;
  /** Signs auditor tokens for this gateway's access log. */
  signingKey: { kid: string; privateKey: KeyObject };
}

export interface EmbeddedGateways {
  gateways: Record<string, EmbeddedGateway>;
  /** Department -> HTTP provider for the router's `gateways`. */
  providers: Record<string, EvidenceProvider>;
  /**
   * Starts the gateway of a department published after these started (a no-op for one already running), so its
   * evidence goes through signed requests, sharing rules and an access log like every other department's.
   */
  add(department: string): Promise<EvidenceProvider>;
  close(): Promise<void>;
}

export async function startEmbeddedGateways(options: EmbeddedGatewaysOptions): Promise<EmbeddedGateways> {
  const departments = options.departments ?? options.catalogue.departments().map((d) => d.code).filter((code) => code !== 'ERRAND' && options.catalogue.providedBy(code).length > 0);
  const gateways: Record<string, EmbeddedGateway> = {};
  const providers: Record<string, EvidenceProvider> = {};
  const servers: Listening[] = [];
  const starting = new Map<string, Promise<EvidenceProvider>>();
  let closed = false;

  async function start(department: string): Promise<EvidenceProvider> {
    const key = generateSigningKey(`${department}-gateway`);
    const accessLog = createMemoryAccessLog();
    const app = createGatewayApp({
      department,
      catalogue: options.catalogue,
      library: options.library,
      platformPublicKeys: options.signer.jwks(),
      platformIssuer: options.signer.issuer,
      gatewaySigningKey: key,
      logger: options.logger,
      accessLog,
    });
    const server = await listen(app);
    servers.push(server);
    gateways[department] = { department, url: server.url, publicJwk: publicJwk(key.kid, key.publicKey), accessLog, signingKey: { kid: key.kid, privateKey: key.privateKey } };
    providers[department] = createHttpGatewayProvider({ department, baseUrl: server.url, signer: options.signer, gatewayKeys: { [key.kid]: key.publicKey }, timeoutMs: options.timeoutMs });
    return providers[department];
  }

  const add = (department: string): Promise<EvidenceProvider> => {
    if (closed) return Promise.reject(new Error('the embedded gateways are closed'));
    const known = starting.get(department);
    if (known) return known;
    const started = start(department);
    starting.set(department, started);
    // A start that failed (no port, say) may be tried again later.
    started.catch(() => starting.delete(department));
    return started;
  };

  try {
    for (const department of departments) await add(department);
  } catch (error) {
    await Promise.allSettled(servers.map((s) => s.close()));
    throw error;
  }
  return {
    gateways,
    providers,
    add,
    async close() {
      closed = true;
      await Promise.allSettled([...starting.values()]);
      await Promise.allSettled(Object.values(providers).map((p) => p.close?.()));
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
