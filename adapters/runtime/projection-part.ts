import { createProjectionRunner, type ProjectionRunner } from '../../projections/index.ts';
import type { BackgroundPart, Engine } from './engine.ts';
import { allProjectors } from './projectors.ts';

/**
 * The projection runner as a background part of an engine; exposes itself for status and rebuild routes. Each
 * projection is a leased job: whichever worker holds its lease runs it, with its writes fenced by the lease's token.
 */
export function projectionPart(onStart?: (runner: ProjectionRunner) => void) {
  return async (engine: Engine): Promise<BackgroundPart> => {
    const runner = createProjectionRunner({
      eventStore: engine.stores.eventStore,
      readStore: engine.stores.readStore,
      projectors: allProjectors({ services: engine.catalogue.catalogue, calendar: engine.calendar }),
      logger: engine.logger,
      clock: engine.clock,
      // Caught-up projections poll the log this often; six of them at the store's 25 ms default cost a few hundred
      // queries a second on an idle system, and 100 ms keeps lag far inside the 1 s the views promise.
      idleMs: 100,
    });
    onStart?.(runner);
    return {
      stop: () => runner.stop(),
      leased: runner.names().map((name) => ({
        name,
        start: (token: number) => runner.acquire(name, token),
        stop: () => runner.release(name),
      })),
    };
  };
}
