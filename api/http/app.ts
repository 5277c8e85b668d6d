/**
 * The HTTP application: every cross-cutting concern in the order it must run, so route and page authors only add
 * routes. Order matters: the request id first (everything logs it), authentication before the rate limiter (it
 * counts per principal), body parsing after both (an over-limit or anonymous flood is refused cheaply), the problem
 * handler last (it answers for everything before it).
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../adapters/config/index.ts';
import { createMemoryHitCounter, type HitCounter } from '../../adapters/rate-limit/index.ts';
import { authenticate, jwksOf, devSignInRoutes, type DevUser, type Signer, createTokenVerifier, type TokenVerifier, type Principal } from '../auth/index.ts';
import { createMetrics, httpMetrics, metricsHandler, type Metrics } from '../metrics/index.ts';
import type { OpenApiInfo } from '../openapi/index.ts';
import { accessLog } from './access-log.ts';
import { ApiRouter } from './api-router.ts';
import { jsonReplacer, notFoundHandler, problemHandler } from './error-handler.ts';
import { healthHandler, healthRoutes, readyHandler, type Readiness } from './health.ts';
import { rateLimiter } from './rate-limit.ts';
import { requestId } from './request-id.ts';
import { contextOf } from './request-context.ts';
import { securityHeaders } from './security-headers.ts';

export const API_BASE_PATH = '/api/v1';

export interface HttpAppOptions {
  config: Config;
  logger: Logger;
  readiness: Readiness;
  /** Adds the API routes: `(api) => api.schema('CaseView', …).add(...caseRoutes(deps))`. */
  routes: (api: ApiRouter) => void;
  /** Server-rendered pages, mounted at `/` after the API. */
  pages?: Router;
  /** Shared with the worker code that counts transitions and registers gauge sources; created when absent. */
  metrics?: Metrics;
  /** Development sign-in; mounted, and its key trusted, only when config.auth.devSignIn is on. */
  devSignIn?: { users: readonly DevUser[]; signer: Signer };
  /** Replaces the verifier built from config.auth (tests, or a custom key source). */
  verifier?: TokenVerifier;
  /** Where the rate limit counts: shared (Redis) with several API processes; this process's memory when absent. */
  hitCounter?: HitCounter;
  info?: OpenApiInfo;
  /**
   * Operations whose bodies may exceed BODY_LIMIT_BYTES, for the principal kinds given (a whole catalogue imported
   * by an administrator): parsed with their own limit after authentication, so no one else can send that much.
   */
  largeBodies?: Array<{ path: string; limitBytes: number; kinds: readonly string[] }>;
  /** Adjusts a verified principal (a clerk's recorded duties); see authenticate(). */
  principals?: (principal: Principal) => Promise<Principal>;
}

export interface HttpApp {
  app: Express;
  api: ApiRouter;
  metrics: Metrics;
  verifier: TokenVerifier;
}

/** Accepts tokens signed by the keys in config.auth.keysFile, by the HS256 secret if set, and by the dev signer. */
export function tokenVerifierFromConfig(config: Config, devSigner?: Signer): TokenVerifier {
  const trustDevSigner = config.auth.devSignIn && devSigner !== undefined;
  return createTokenVerifier({
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    keysFile: config.auth.keysFile,
    hs256Secret: config.auth.hs256Secret,
    jwks: trustDevSigner ? jwksOf(devSigner) : null,
  });
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { config, logger } = options;
  const devSignIn = config.auth.devSignIn ? options.devSignIn : undefined;
  if (devSignIn && (devSignIn.signer.issuer !== config.auth.issuer || devSignIn.signer.audience !== config.auth.audience)) {
    throw new Error('the development signer must use JWT_ISSUER and JWT_AUDIENCE, or its tokens would be refused');
  }
  const verifier = options.verifier ?? tokenVerifierFromConfig(config, devSignIn?.signer);
  const metrics = options.metrics ?? createMetrics({ onSourceError: (name) => logger.warn({ gauge: name }, 'gauge source failed') });

  const app = express();
  app.disable('x-powered-by');
  // One hop: the reverse proxy in front. "true" would trust any X-Forwarded-For a client makes up.
  app.set('trust proxy', config.http.trustProxy ? 1 : false);
  app.set('json replacer', jsonReplacer);

  app.use(requestId());
  app.use(accessLog(logger));
  app.use(httpMetrics(metrics));
  app.use(securityHeaders());
  app.use(authenticate(verifier, options.principals));
  app.use(rateLimiter({ limitPerMinute: config.http.rateLimitPerMinute, logger, counter: options.hitCounter ?? createMemoryHitCounter() }));
  for (const large of options.largeBodies ?? []) {
    const parse = express.json({ limit: large.limitBytes, type: 'application/json', strict: true });
    app.use(`${API_BASE_PATH}${large.path}`, (req, res, next) => {
      const kind = contextOf(req).principal?.kind;
      if (kind && large.kinds.includes(kind)) parse(req, res, next);
      else next();
    });
  }
  app.use(express.json({ limit: config.http.bodyLimitBytes, type: 'application/json', strict: true }));

  app.get('/health', healthHandler());
  app.get('/ready', readyHandler(options.readiness, logger));
  // On METRICS_PORT, /metrics has a listener of its own (api/main.ts), away from citizens' traffic.
  if (config.metrics.port === null) app.get('/metrics', metricsHandler(metrics, { token: config.metrics.token, open: config.metrics.open }));

  const api = new ApiRouter({ basePath: API_BASE_PATH, info: options.info });
  api.add(...healthRoutes(options.readiness, logger));
  options.routes(api);
  if (devSignIn) api.add(...devSignInRoutes(devSignIn));
  api.verify();
  app.use(API_BASE_PATH, api.express);
  // Unknown API paths answer as problems even if the pages router has an HTML catch-all.
  app.use(API_BASE_PATH, notFoundHandler());

  if (options.pages) app.use(options.pages);
  app.use(notFoundHandler());
  app.use(problemHandler(logger));
  return { app, api, metrics, verifier };
}
