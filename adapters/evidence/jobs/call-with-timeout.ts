/** A provider call bounded in time even when the provider ignores the abort signal (a hung socket, a slow query). */
import { ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult } from '../../../domain/ports/evidence.ts';

export async function callWithTimeout(provider: EvidenceProvider, request: EvidenceRequest, timeoutMs: number, department: string): Promise<EvidenceResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ProviderUnavailableError(department, `${department} gave no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([provider.fetch(request, { signal: controller.signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
