/** The shared request check, turned into the port's refusal: every provider refuses exactly what a gateway would. */
import type { DataCatalogue, DataItem } from '../../domain/catalogue/index.ts';
import { checkEvidenceRequest } from '../../domain/evidence/index.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceRequest } from '../../domain/ports/evidence.ts';

/** The item, when the catalogue allows this consumer to have these fields; otherwise EvidenceRefusedError. */
export function allowedItem(catalogue: Pick<DataCatalogue, 'get'>, request: EvidenceRequest, department?: string): DataItem {
  const check = checkEvidenceRequest(catalogue, request, department);
  if (!check.ok) throw new EvidenceRefusedError(department ?? catalogue.get(request.dataItem)?.provider ?? 'unknown', check.reason);
  return check.item;
}

/** Rejects as the port says when the caller gave up (per-call timeout) before or while the call ran. */
export function throwIfAborted(signal: AbortSignal | undefined, provider: string): void {
  if (signal?.aborted) throw new ProviderUnavailableError(provider, `call to ${provider} was abandoned: ${reasonOf(signal)}`);
}

export function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
}
