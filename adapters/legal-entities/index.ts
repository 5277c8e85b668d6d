export type { LegalEntityRegistry } from './port.ts';
export { createDemoLegalEntityRegistry, noLegalEntityRegistry } from './demo-legal-entity-registry.ts';
