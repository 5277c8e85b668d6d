/**
 * The platform's own issued electronic certificates (provider ERRAND): a residence permit or business licence
 * Errand issued earlier is evidence for later cases. The lookup is supplied at assembly (the certificate
 * projection), so this adapter knows nothing of where certificates are stored.
 */
import type { DataCatalogue } from '../../../domain/catalogue/index.ts';
import { onlyRequested } from '../../../domain/evidence/index.ts';
import { allowedItem, throwIfAborted } from '../allowed-item.ts';
import { ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult, type FetchOptions } from '../../../domain/ports/evidence.ts';

export type CertificateLookup = (certificateType: string, holderId: string) => Promise<Record<string, unknown> | null>;

export interface ErrandCertificateProviderOptions {
  catalogue: DataCatalogue;
  lookup: CertificateLookup;
  /**
   * Certificate type of a data item; by default the item's `certificateType` in the catalogue, else the item id
   * without its "errand-" prefix ("residence-permit").
   */
  certificateTypeOf?: (dataItem: string) => string;
  now?: () => Date;
}

export const ERRAND_PROVIDER = 'ERRAND';

export function defaultCertificateType(dataItem: string): string {
  return dataItem.replace(/^errand-/, '');
}

export function createErrandCertificateProvider(options: ErrandCertificateProviderOptions): EvidenceProvider {
  const typeOf = options.certificateTypeOf ?? ((dataItem: string) => options.catalogue.get(dataItem)?.certificateType ?? defaultCertificateType(dataItem));
  const now = options.now ?? (() => new Date());
  const name = 'errand-certificates';
  return {
    name,
    async fetch(request: EvidenceRequest, fetchOptions: FetchOptions = {}): Promise<EvidenceResult> {
      throwIfAborted(fetchOptions.signal, name);
      const item = allowedItem(options.catalogue, request, ERRAND_PROVIDER);
      let certificate: Record<string, unknown> | null;
      try {
        certificate = await options.lookup(typeOf(item.id), request.subject.id);
      } catch (error) {
        throw new ProviderUnavailableError(ERRAND_PROVIDER, `certificate lookup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      throwIfAborted(fetchOptions.signal, name);
      if (!certificate) return { status: 'no_match', provider: ERRAND_PROVIDER };
      return { status: 'found', fields: onlyRequested(certificate, request.fields), provider: ERRAND_PROVIDER, retrievedAt: now().toISOString() };
    },
  };
}
