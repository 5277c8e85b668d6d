import type { Router } from 'express';
import type { Engine } from '../runtime/engine.ts';
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
import { certificateRoutes } from './routes/certificate.routes.ts';
import { noticeRoutes } from './routes/notice.routes.ts';
import { oversightRoutes } from './routes/oversight.routes.ts';
import { registerNotificationRoutes } from './routes/notification.routes.ts';
import { paymentRoutes } from './routes/payment.routes.ts';
import { agentRoutes } from './routes/agent.routes.ts';
import { appealRoutes } from './routes/appeal.routes.ts';
import { catalogueRoutes } from './routes/catalogue.routes.ts';
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

export const CATALOGUE_IMPORT_LIMIT_BYTES = 32 * 1024 * 1024;

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
        ...certificateRoutes(engine, views),
        ...noticeRoutes(engine, views),
        ...citizenRoutes(engine, uploads),
        ...bundleRoutes(engine),
        ...clerkRoutes(engine),
        ...paymentRoutes(engine),
        ...agentRoutes(engine),
        ...appealRoutes(engine),
        ...oversightRoutes(engine, views, options.projections ?? (() => null), engine.stores.readStore),
        ...catalogueRoutes(engine, views),
        ...privacyRoutes(engine, views),
      );
      registerNotificationRoutes(api, engine);
      options.extraRoutes?.(api, engine);
    },
    // A clerk whose duties the administrator recorded works under them, whatever an older token says.
    principals: async (principal) => {
      if (principal.kind !== 'clerk') return principal;
      await engine.catalogue.ensureFresh();
      const duties = engine.catalogue.duties(principal.id);
      return duties ? { ...principal, department: duties.department, roles: [...duties.roles] } : principal;
    },
    // A whole catalogue (several hundred services as files) is larger than any other request.
    largeBodies: [{ path: '/admin/catalogue-import', limitBytes: CATALOGUE_IMPORT_LIMIT_BYTES, kinds: ['admin'] }],
    pages: options.pages,
    devSignIn: signer ? { users: options.devUsers ?? [], signer } : undefined,
  });
  return { ...http, metrics };
}
