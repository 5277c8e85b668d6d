export type { LegalEntityRegistry } from '../../domain/ports/legal-entities.ts';
export { createDemoLegalEntityRegistry, noLegalEntityRegistry } from './demo-legal-entity-registry.ts';
