import { caseErased } from './privacy.ts';
import { createCertificateRegistry, type CertificateRegistry } from '../adapters/certificates/registry.ts';
import type { Engine } from './engine.ts';

/** The certificate registry over this engine's stores, catalogue and clock: one wiring for routes, evidence and the sweep. */
export function certificateRegistryOf(engine: Engine): CertificateRegistry {
  return createCertificateRegistry({
    eventStore: engine.stores.eventStore,
    readStore: engine.stores.readStore,
    services: engine.catalogue,
    dataCatalogue: engine.dataCatalogue,
    dataDir: engine.config.dataDir,
    timeZone: engine.config.timeZone,
    clock: engine.clock,
    caseErased: (caseId) => caseErased(engine.stores, caseId),
  });
}
