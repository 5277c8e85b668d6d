import { createDemoLegalEntityRegistry } from '../../adapters/legal-entities/index.ts';
import { demoLibrary } from '../support/http-engine.ts';
import { legalEntityRegistryContract } from './legal-entity-registry.contract.ts';

legalEntityRegistryContract('demo library (the platform\'s base library)', async () => {
  const library = demoLibrary();
  const enterprise = library.enterprises.find((e) => library.secondary.records['business-registration']!.some((row) => row.creditCode === e.creditCode))!;
  return { registry: createDemoLegalEntityRegistry(library), known: { creditCode: enterprise.creditCode, legalRepresentativeId: enterprise.legalRepresentativeId } };
});
