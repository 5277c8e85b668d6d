/**
 * Answers from the generated demo library in memory: the embedded default when no gateway or SQL library is
 * configured. `copy: 'secondary'` answers from the library's second source, for cross-checks.
 */
import type { DataCatalogue } from '../../../domain/catalogue/index.ts';
import type { DemoLibrary } from '../../../domain/evidence/demo-library/index.ts';
import { createLibraryView } from '../../../domain/evidence/index.ts';
import { onlyRequested } from '../../../domain/evidence/index.ts';
import { allowedItem, throwIfAborted } from '../allowed-item.ts';
import { EvidenceRefusedError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult, type FetchOptions } from '../../../domain/ports/evidence.ts';

export interface DemoLibraryProviderOptions {
  library: DemoLibrary;
  catalogue: DataCatalogue;
  copy?: 'primary' | 'secondary';
  /** Only these departments' items (a department gateway's own data); every department when absent. */
  department?: string;
  name?: string;
  now?: () => Date;
}

export function createDemoLibraryProvider(options: DemoLibraryProviderOptions): EvidenceProvider {
  const secondary = options.copy === 'secondary';
  const view = secondary ? createLibraryView(options.library.secondary.records) : createLibraryView(options.library.records, options.library.pending);
  const name = options.name ?? (secondary ? options.library.secondary.source : 'demo-library');
  const now = options.now ?? (() => new Date());

  return {
    name,
    async fetch(request: EvidenceRequest, fetchOptions: FetchOptions = {}): Promise<EvidenceResult> {
      throwIfAborted(fetchOptions.signal, name);
      const item = allowedItem(options.catalogue, request, options.department);
      const answer = view.lookup(item, request.subject.id);
      switch (answer.kind) {
        case 'found':
          return { status: 'found', fields: onlyRequested(answer.row, request.fields), provider: item.provider, retrievedAt: now().toISOString() };
        case 'pending':
          return { status: 'not_yet_available', provider: item.provider, availableAfter: answer.availableAfter };
        case 'none':
          return { status: 'no_match', provider: item.provider };
        case 'not_held':
          throw new EvidenceRefusedError(item.provider, `${name} holds no records of data item "${item.id}"`);
      }
    },
  };
}

/** The platform's own issued certificates as the demo library holds them, for createErrandCertificateProvider. */
export function demoCertificateLookup(library: DemoLibrary): (certificateType: string, holderId: string) => Promise<Record<string, unknown> | null> {
  const keyOf: Record<string, string> = { 'residence-permit': 'holderCitizenId', 'business-licence': 'creditCode' };
  return async (certificateType, holderId) => {
    const key = keyOf[certificateType];
    const rows = key ? library.records[`errand-${certificateType}`] ?? [] : [];
    const matches = rows.filter((row) => row[key as string] === holderId);
    if (!matches.length) return null;
    return { ...matches.reduce((a, b) => (String(b.issuedOn ?? '') > String(a.issuedOn ?? '') ? b : a)) };
  };
}
