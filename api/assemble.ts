import type { Router } from 'express';
import type { Engine } from '../adapters/runtime/engine.ts';
import { ensureDevKeys, type DevUser } from './auth/index.ts';
import { createHttpApp, type HttpApp } from './http/index.ts';
import { createMetrics } from './metrics/index.ts';
import { bundleRoutes } from './routes/bundle.routes.ts';
import { citizenRoutes } from './routes/citizen.routes.ts';
import { clerkRoutes } from './routes/clerk.routes.ts';
import { readRoutes } from './routes/read.routes.ts';
import { schemaRoutes } from './routes/schema.routes.ts';
import { contractComponents } from './routes/components.ts';
import { materialFileRoute } from './routes/material-file.route.ts';
import { oversightRoutes } from './routes/oversight.routes.ts';
import { privacyRoutes } from './routes/privacy.routes.ts';
import type { ProjectionRunner } from '../projections/index.ts';
import { createViews } from './routes/views.ts';
import type { ApiRouter } from './http/index.ts';

export interface AssembleOptions {
  pages?: Router;
  devUsers?: DevUser[];
  /** Extra routes (auditor, admin, gateway) contributed by other modules. */
  extraRoutes?: (api: ApiRouter, engine: Engine) => void;
  metrics?: ReturnType<typeof createMetrics>;
  /** The projection runner of this process, when it runs one (ROLE=all or worker), for status and rebuilds. */
  projections?: () => ProjectionRunner | null;
}

/** The whole HTTP surface of one engine: API routes, OpenAPI, health, metrics, pages, dev sign-in. */
export function assembleHttp(engine: Engine, options: AssembleOptions = {}): HttpApp & { metrics: ReturnType<typeof createMetrics> } {
  const { config } = engine;
  const metrics = options.metrics ?? createMetrics();
  const signer = config.auth.devSignIn ? ensureDevKeys(config.dataDir, { issuer: config.auth.issuer, audience: config.auth.audience }) : undefined;
  const views = createViews(engine.stores.readStore);
  const { uploads } = engine;
  const http = createHttpApp({
    config,
    logger: engine.logger,
    metrics,
    hitCounter: engine.hitCounter,
    readiness: async () => {
      const checks: Record<string, unknown> = {};
      let ok = true;
      for (const [name, ping] of [
        ['eventStore', () => engine.stores.eventStore.ping()],
        ['readStore', () => engine.stores.readStore.ping()],
        ['queue', () => engine.queue.ping()],
      ] as const) {
        try {
          await ping();
          checks[name] = 'ok';
        } catch (error) {
          ok = false;
          checks[name] = error instanceof Error ? error.message : 'unreachable';
        }
      }
      const runner = options.projections?.();
      if (runner) {
        // Lag is reported, not judged: a rebuild or a burst legitimately lags; a failed projection serves stale data.
        const projections: Record<string, unknown> = {};
        for (const status of await runner.status()) {
          projections[status.name] = { state: status.state, lagMs: status.lagMs, checkpoint: status.checkpoint };
          if (status.state === 'failed') ok = false;
        }
        checks.projections = projections;
      }
      return { ok, checks };
    },
    routes: (api) => {
      for (const [name, schema] of contractComponents()) api.schema(name, schema);
      api.add(
        ...readRoutes(engine, views),
        ...schemaRoutes(),
        materialFileRoute(engine, views, uploads),
        ...citizenRoutes(engine, uploads),
        ...bundleRoutes(engine),
        ...clerkRoutes(engine),
        ...oversightRoutes(engine, views, options.projections ?? (() => null), engine.stores.readStore),
        ...privacyRoutes(engine, views),
      );
      options.extraRoutes?.(api, engine);
    },
    pages: options.pages,
    devSignIn: signer ? { users: options.devUsers ?? [], signer } : undefined,
  });
  return { ...http, metrics };
}
