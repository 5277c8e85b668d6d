import { assembleEvidenceProviders, createEvidenceWorker, createPersistentPlatformSigner, demoCertificateLookup } from '../adapters/evidence/index.ts';
import { certificateRegistryOf } from './certificate-registry.ts';
import { issuedCertificateLookup, caseViewCaughtUp } from './certificate-lookup.ts';
import type { DemoLibrary } from '../domain/evidence/demo-library/index.ts';
import { EVIDENCE_RETRIES, type Engine } from './engine.ts';

export interface EvidencePartOptions {
  /** Share one generated library (tests, seeds) instead of generating it again. */
  library?: DemoLibrary;
  timeoutMs?: number;
  /** Latency added by the embedded gateways (benches). */
  gatewayDelayMs?: number;
  onReady?: (parts: { library: DemoLibrary | null }) => void;
}

/**
 * The data runs the errands: providers (department gateways, the SQL library, the demo library) behind a router,
 * and the worker that serves the per-department evidence queues. In the embedded default the departments' gateways
 * run in-process, so even a laptop demo goes through signed requests, sharing rules and gateway access logs.
 */
export function evidencePart(options: EvidencePartOptions = {}) {
  return async (engine: Engine) => {
    // The platform's request-signing key lives under DATA_DIR/evidence with its public JWKS beside it, so gateways
    // running as their own processes (npm run gateway) can pin it and keep trusting it across restarts.
    const signer = createPersistentPlatformSigner({ dataDir: engine.config.dataDir, issuer: engine.config.auth.issuer });
    const certificates = certificateRegistryOf(engine);
    const providers = await assembleEvidenceProviders({
      evidence: engine.config.evidence,
      catalogue: engine.dataCatalogue,
      signer,
      library: options.library,
      certificateLookup: issuedCertificateLookup(
        engine.stores.readStore,
        engine.dataCatalogue,
        options.library && engine.config.evidence.demoLibrary ? demoCertificateLookup(options.library) : undefined,
        // Revocation and expiry are honoured: a withdrawn or lapsed certificate is no evidence.
        (view) => certificates.state(view),
        caseViewCaughtUp(engine.stores.readStore, engine.stores.eventStore),
      ),
      embeddedGateways: true,
      embeddedGatewayDelayMs: options.gatewayDelayMs,
      dataDir: engine.config.dataDir,
      timeoutMs: options.timeoutMs ?? 5000,
      logger: engine.logger,
    });
    // A limit for a code the catalogue does not know limits nothing: most likely a typo, said once at start.
    const departments = new Set(engine.dataCatalogue.departments().map((d) => d.code));
    for (const code of Object.keys(engine.config.evidence.limits)) {
      if (!departments.has(code)) engine.logger.warn({ department: code }, 'EVIDENCE_LIMITS names a department the data catalogue does not have (yet); it limits nothing until one is published');
    }
    const worker = createEvidenceWorker({
      queue: engine.queue,
      router: providers.router,
      catalogue: engine.dataCatalogue,
      handle: (command) => engine.commands.handle(command),
      clock: engine.clock,
      timeoutMs: options.timeoutMs ?? 5000,
      ...EVIDENCE_RETRIES,
      departmentLimits: engine.config.evidence.limits,
      departmentReady: (department) => providers.ready(department),
      secondarySource: providers.secondary,
      // A job redelivered after the case moved on (settled, withdrawn) fetches nothing.
      wanted: async (caseId, materialId) => (await engine.commands.load(caseId)).context.materials[materialId]?.status === 'fetching',
      // Jobs carry no ID number (Redis): the applicant is read from the case, opened by the event store's edge. A
      // case's applicant never changes after the draft, so a fold held in memory at any revision answers it.
      resolveSubject: async (caseId) => (await engine.commands.load(caseId, { atLeast: 0n })).context.applicant!,
      timeZone: engine.config.timeZone,
      logger: engine.logger,
    });
    options.onReady?.({ library: providers.library });
    return {
      async stop() {
        await worker.close();
        await providers.close();
      },
    };
  };
}
