/**
 * Picks the provider per department: the department's own gateway when one is configured, otherwise the shared
 * SQL library when configured, otherwise the demo library. The platform's own certificates (ERRAND) come from
 * the certificate provider. The router is itself an EvidenceProvider, so the worker never knows the route.
 */
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { ERRAND_PROVIDER } from './errand/errand-certificate-provider.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult, type FetchOptions } from '../../domain/ports/evidence.ts';

export interface ProviderRouterOptions {
  catalogue: DataCatalogue;
  /** Department code -> its gateway provider (createHttpGatewayProvider). */
  gateways?: Record<string, EvidenceProvider>;
  sqlLibrary?: EvidenceProvider | null;
  demoLibrary?: EvidenceProvider | null;
  errand?: EvidenceProvider | null;
}

export type Route = 'gateway' | 'errand' | 'sql' | 'demo';

export interface ProviderRouter extends EvidenceProvider {
  /** How a department's items are fetched, or null when nothing is configured for it. */
  routeFor(department: string): Route | null;
  providerFor(department: string): EvidenceProvider | null;
}

export function createProviderRouter(options: ProviderRouterOptions): ProviderRouter {
  const gateways = options.gateways ?? {};

  function routeFor(department: string): Route | null {
    if (gateways[department]) return 'gateway';
    if (department === ERRAND_PROVIDER && options.errand) return 'errand';
    if (options.sqlLibrary) return 'sql';
    if (options.demoLibrary) return 'demo';
    return null;
  }

  function providerFor(department: string): EvidenceProvider | null {
    switch (routeFor(department)) {
      case 'gateway':
        return gateways[department] ?? null;
      case 'errand':
        return options.errand ?? null;
      case 'sql':
        return options.sqlLibrary ?? null;
      case 'demo':
        return options.demoLibrary ?? null;
      default:
        return null;
    }
  }

  const all = [...Object.values(gateways), options.sqlLibrary, options.demoLibrary, options.errand].filter((p): p is EvidenceProvider => !!p);

  return {
    name: 'router',
    routeFor,
    providerFor,
    async fetch(request: EvidenceRequest, fetchOptions?: FetchOptions): Promise<EvidenceResult> {
      const item = options.catalogue.get(request.dataItem);
      if (!item) throw new EvidenceRefusedError('unknown', `data item "${request.dataItem}" is not in the data catalogue`);
      const provider = providerFor(item.provider);
      if (!provider) throw new ProviderUnavailableError(item.provider, `no evidence provider is configured for department ${item.provider}`);
      return provider.fetch(request, fetchOptions);
    },
    async close() {
      await Promise.allSettled(all.map((p) => p.close?.()));
    },
  };
}
