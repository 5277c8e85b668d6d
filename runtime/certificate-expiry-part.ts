import { startExpirySweep } from '../adapters/certificates/expiry-sweep.ts';
import { certificateRegistryOf } from './certificate-registry.ts';
import type { BackgroundPart, Engine } from './engine.ts';

/** The certificate expiry sweep as a background part of a worker (adapters/certificates/expiry-sweep.ts). */
export function certificateExpiryPart(options: { checkEveryMs?: number } = {}) {
  return async (engine: Engine): Promise<BackgroundPart> => {
    const registry = certificateRegistryOf(engine);
    return startExpirySweep({
      registry,
      readStore: engine.stores.readStore,
      clock: engine.clock,
      timeZone: engine.config.timeZone,
      checkEveryMs: options.checkEveryMs,
      onSwept: ({ day, recorded }) => engine.logger.info({ day, certificates: recorded }, 'certificate expiry swept'),
      onError: (error) => engine.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'certificate expiry sweep failed; retried at the next check'),
    });
  };
}
