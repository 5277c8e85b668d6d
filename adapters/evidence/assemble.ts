/**
 * Wires the evidence providers from the configuration (Config['evidence']): a gateway provider per configured
 * department gateway, the SQL library when EVIDENCE_SQL_URL is set, the demo library when DEMO_LIBRARY is on, the
 * platform's own certificates, and the router over them. With `embeddedGateways` the departments without a
 * configured gateway are served by in-process gateway apps in front of the library, so even the embedded default
 * goes through signed requests, sharing rules and access logs.
 */
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { generateDemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import type { DemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import type { Config } from '../config/index.ts';
import { startEmbeddedGateways, type EmbeddedGateways } from '../gateway/index.ts';
import type { EvidenceLogger } from './logger.ts';
import { createDemoLibraryProvider, demoCertificateLookup } from './demo/demo-library-provider.ts';
import { createErrandCertificateProvider, ERRAND_PROVIDER, type CertificateLookup } from './errand/errand-certificate-provider.ts';
import { createHttpGatewayProvider } from './http/http-gateway-provider.ts';
import { gatewayKeyFiles, readJwksFile } from './http/key-files.ts';
import { createRefreshingKeySet, parseJwks, publicKeySet, type KeySource, type PublicKeySetInput, type RefreshingKeySetOptions } from '../jose/index.ts';
import type { PlatformRequestSigner } from './http/platform-signer.ts';
import type { SecondarySource } from './jobs/gather.ts';
import type { EvidenceProvider } from '../../domain/ports/evidence.ts';
import { createProviderRouter, type ProviderRouter } from './router.ts';

export interface EvidenceAssemblyOptions {
  evidence: Config['evidence'];
  catalogue: DataCatalogue;
  /** Signs the platform's requests to gateways (createPlatformRequestSigner). */
  signer: PlatformRequestSigner;
  /**
   * Department -> the public keys of its gateway, for every gateway in evidence.gateways; a department not listed
   * is looked up in <dataDir>/evidence/gateway-<DEPT>.jwks.json (what scripts/gateway.ts writes).
   */
  gatewayKeys?: Record<string, PublicKeySetInput>;
  /**
   * How keys read from gateway-<DEPT>.jwks.json follow the file (adapters/jose/refreshing-key-set.ts): read again
   * every `refreshMs` (default 60 s) and on an answer signed with an unknown kid, the last keys kept for `maxStaleMs`
   * (default 5 min) while the file cannot be read.
   */
  gatewayKeyRefresh?: Pick<RefreshingKeySetOptions, 'refreshMs' | 'retryGapMs' | 'maxStaleMs' | 'now'>;
  dataDir?: string;
  /** The demo library to serve; generated with the default seed when absent and DEMO_LIBRARY is on. */
  library?: DemoLibrary;
  /** The certificate projection's lookup; the demo library's certificates when absent and the demo is on. */
  certificateLookup?: CertificateLookup;
  embeddedGateways?: boolean;
  /** Latency the embedded gateways add to every answer, to stand in for remote departments (benches, demos). */
  embeddedGatewayDelayMs?: number;
  timeoutMs?: number;
  logger?: EvidenceLogger;
}

export interface EvidenceProviders {
  router: ProviderRouter;
  /** The cross-check source for the worker's secondarySource (the demo base library), when there is one. */
  secondary: SecondarySource | undefined;
  library: DemoLibrary | null;
  embedded: EmbeddedGateways | null;
  /**
   * Whether the department's evidence goes the way it would after a restart: with embedded gateways, a department
   * published since the start gets its gateway started first (false when that failed: try again later).
   */
  ready(department: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function assembleEvidenceProviders(options: EvidenceAssemblyOptions): Promise<EvidenceProviders> {
  const { evidence, catalogue, signer } = options;
  const gateways: Record<string, EvidenceProvider> = {};
  for (const [department, baseUrl] of Object.entries(evidence.gateways)) {
    const keys = options.gatewayKeys?.[department] ?? (options.dataDir ? gatewayKeysFromFile(gatewayKeyFiles(options.dataDir, department).jwks, department, options) : undefined);
    if (!keys) throw new Error(`GATEWAY_URLS names ${department}, but its gateway's public key is not configured (expected in gatewayKeys)`);
    gateways[department] = createHttpGatewayProvider({ department, baseUrl, signer, gatewayKeys: keys, timeoutMs: options.timeoutMs });
  }
  const library = evidence.demoLibrary ? (options.library ?? generateDemoLibrary()) : null;
  const demoLibrary = library ? createDemoLibraryProvider({ library, catalogue }) : null;
  // Imported only when configured, so pg loads only then.
  const sqlLibrary = evidence.sqlLibraryUrl
    ? (await import('./sql/index.ts')).createSqlLibraryProvider({ connectionString: evidence.sqlLibraryUrl, catalogue })
    : null;
  const lookup = options.certificateLookup ?? (library ? demoCertificateLookup(library) : null);
  const errand = lookup ? createErrandCertificateProvider({ catalogue, lookup }) : null;

  let embedded: EmbeddedGateways | null = null;
  const behind = sqlLibrary ?? demoLibrary;
  if (options.embeddedGateways && behind) {
    const departments = catalogue
      .departments()
      .map((d) => d.code)
      .filter((code) => code !== ERRAND_PROVIDER && !gateways[code] && catalogue.providedBy(code).length > 0);
    const delayMs = options.embeddedGatewayDelayMs ?? 0;
    const library: EvidenceProvider =
      delayMs > 0 ? { name: behind.name, fetch: async (request, fetchOptions) => (await new Promise((r) => setTimeout(r, delayMs)), behind.fetch(request, fetchOptions)) } : behind;
    embedded = await startEmbeddedGateways({ catalogue, library, signer, departments, logger: options.logger, timeoutMs: options.timeoutMs });
  }

  // Kept and added to: the router reads it on every request, so a gateway started later is in its routes at once.
  const routes: Record<string, EvidenceProvider> = { ...embedded?.providers, ...gateways };
  const router = createProviderRouter({ catalogue, gateways: routes, sqlLibrary, demoLibrary, errand });
  async function ready(department: string): Promise<boolean> {
    if (routes[department] || department === ERRAND_PROVIDER || !embedded || catalogue.providedBy(department).length === 0) return true;
    try {
      routes[department] = await embedded.add(department);
      return true;
    } catch (error) {
      options.logger?.warn({ department, err: error instanceof Error ? error.message : String(error) }, 'could not start the gateway of a new department; its evidence waits');
      return false;
    }
  }
  const secondary: SecondarySource | undefined = library
    ? { provider: createDemoLibraryProvider({ library, catalogue, copy: 'secondary' }), items: Object.keys(library.secondary.records) }
    : undefined;
  return {
    router,
    secondary,
    library,
    embedded,
    ready,
    async close() {
      await router.close?.();
      await embedded?.close();
    },
  };
}

/**
 * A gateway's keys from its JWKS file, followed while the platform runs: an operator who removes a department's key
 * from the file (compromised, retired) has it distrusted within the refresh period, with no restart. A missing or
 * invalid file at start stops the start, as before; afterwards a failed read keeps the keys last read for a bounded
 * time, reported at each attempt (adapters/jose/refreshing-key-set.ts says why).
 */
function gatewayKeysFromFile(file: string, department: string, options: EvidenceAssemblyOptions): KeySource {
  const read = () => {
    const document = readJwksFile(file);
    if (!document) throw new Error(`GATEWAY_URLS names ${department}, but its gateway's public key is not configured (expected in ${file})`);
    return document;
  };
  const source = `gateway keys ${file}`;
  return createRefreshingKeySet({
    source,
    load: read,
    initial: publicKeySet(parseJwks(read(), source), source),
    ...options.gatewayKeyRefresh,
    onReadFailed: (error, trustedUntil) =>
      options.logger?.error({ department, file, err: error.message, trustedUntil: new Date(trustedUntil).toISOString() }, 'cannot read the gateway keys again; the keys read before are trusted until then'),
  });
}
