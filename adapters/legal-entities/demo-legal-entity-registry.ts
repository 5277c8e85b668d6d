import type { LegalEntityRecord } from '../../domain/agents/representation.ts';
import type { DemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import type { LegalEntityRegistry } from '../../domain/ports/legal-entities.ts';

/**
 * The demo library's base library (its second source, the platform's own copy of business registrations): the
 * legal-entity base data the embedded default checks representatives against.
 */
export function createDemoLegalEntityRegistry(library: Pick<DemoLibrary, 'secondary'>): LegalEntityRegistry {
  const rows = library.secondary.records['business-registration'] ?? [];
  const byCode = new Map(rows.map((row) => [String(row.creditCode), row]));
  return {
    name: `demo:${library.secondary.source}`,
    async lookup(creditCode: string): Promise<LegalEntityRecord | null> {
      const row = byCode.get(creditCode);
      if (!row || typeof row.legalRepresentativeId !== 'string') return null;
      return { creditCode, legalRepresentativeId: row.legalRepresentativeId, status: String(row.status ?? 'unknown'), source: library.secondary.source };
    },
  };
}

/** No base data configured: every lookup answers none, so nobody can apply as a legal representative. */
export const noLegalEntityRegistry: LegalEntityRegistry = { name: 'none', lookup: async () => null };
