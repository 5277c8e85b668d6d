import { hostname } from 'node:os';
import { createProjectionRunner, startAdminAgent, type ProjectionRunner } from '../projections/index.ts';
import type { BackgroundPart, Engine } from './engine.ts';
import { allProjectors } from './projectors.ts';
import { followingCatalogue } from './catalogue-following-store.ts';

/**
 * The projection runner as a background part of an engine; exposes itself for status and rebuild routes. Each
 * projection is a leased job: whichever worker holds its lease runs it, with its writes fenced by the lease's token.
 */
export function projectionPart(onStart?: (runner: ProjectionRunner) => void) {
  return async (engine: Engine): Promise<BackgroundPart> => {
    const runner = createProjectionRunner({
      eventStore: followingCatalogue(engine.stores.eventStore, engine.catalogue),
      rebuildEventStore: () => followingCatalogue(engine.stores.eventStore.afresh(), engine.catalogue),
      readStore: engine.stores.readStore,
      projectors: allProjectors({ services: engine.catalogue.catalogue, calendar: engine.calendar }),
      logger: engine.logger,
      clock: engine.clock,
      // Caught-up projections poll the log this often; six of them at the store's 25 ms default cost a few hundred
      // queries a second on an idle system, and 100 ms keeps lag far inside the 1 s the views promise.
      idleMs: 100,
    });
    onStart?.(runner);
    const tokens = new Map<string, number>();
    // Status reports and API rebuild requests go through the read store, so ROLE=api processes can serve the admin routes.
    const agent = startAdminAgent({ runner, readStore: engine.stores.readStore, tokens: () => tokens, worker: `${hostname()}:${process.pid}`, logger: engine.logger });
    return {
      async stop() {
        await agent.stop();
        await runner.stop();
      },
      leased: runner.names().map((name) => ({
        name,
        async start(token: number) {
          await runner.acquire(name, token);
          tokens.set(name, token);
        },
        async stop() {
          tokens.delete(name);
          await runner.release(name);
        },
      })),
    };
  };
}
