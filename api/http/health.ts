/**
 * Liveness says the process can answer at all (restart it if not); readiness says its dependencies answer too
 * (send it traffic only then). A readiness check that hangs counts as not ready, so a stuck database cannot stall
 * the load balancer's probe.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendProblem } from './error-handler.ts';
import { HttpProblem } from './problem.ts';
import { redactPersonalData } from './redact.ts';
import { defineRoute, type AnyRouteDefinition } from './route.ts';
import { contextOf } from './request-context.ts';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, unknown>;
}

export type Readiness = () => Promise<ReadinessReport>;

export function healthHandler(): RequestHandler {
  return (req, res) => {
    contextOf(req).routePattern = '/health';
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  };
}

function notReady(detail: string, checks: Record<string, unknown>): HttpProblem {
  return new HttpProblem({ status: 503, slug: 'not-ready', title: 'Not ready', detail, extensions: { checks } });
}

export function readyHandler(readiness: Readiness, logger: Logger, timeoutMs = 5_000): RequestHandler {
  return async (req, res) => {
    contextOf(req).routePattern = '/ready';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let report: ReadinessReport | 'timeout';
    try {
      report = await Promise.race([readiness(), timeout]);
    } catch (error) {
      logger.warn({ requestId: contextOf(req).requestId, err: redactPersonalData(String(error)) }, 'readiness check failed');
      sendProblem(req, res, notReady('the readiness check failed', {}));
      return;
    } finally {
      clearTimeout(timer);
    }
    if (report === 'timeout') {
      sendProblem(req, res, notReady(`the readiness check did not finish within ${timeoutMs} ms`, {}));
    } else if (!report.ok) {
      sendProblem(req, res, notReady('a dependency is not ready', report.checks));
    } else {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ready', checks: report.checks });
    }
  };
}

const checksSchema = { type: 'object', additionalProperties: true };

/**
 * The same probes under /api/v1, where the README says the whole API lives; the root paths stay for probes already
 * configured. They answer exactly as the root ones (the handlers write the response themselves).
 */
export function healthRoutes(readiness: Readiness, logger: Logger): AnyRouteDefinition[] {
  const health = healthHandler();
  const ready = readyHandler(readiness, logger);
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness: the process answers (also served at /health)',
      tags: ['operations'],
      auth: 'public',
      responses: { 200: { description: 'Alive', schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } } },
      handler: (ctx) => void health(ctx.req, ctx.res, () => undefined),
    }),
    defineRoute({
      method: 'get',
      path: '/ready',
      summary: 'Readiness: event store, read store and queue answer; projection lag where this process runs projections (also served at /ready)',
      tags: ['operations'],
      auth: 'public',
      responses: {
        200: { description: 'Ready', schema: { type: 'object', required: ['status', 'checks'], properties: { status: { const: 'ready' }, checks: checksSchema } } },
        503: { description: 'A dependency is not ready (the checks say which)' },
      },
      handler: async (ctx) => {
        await ready(ctx.req, ctx.res, () => undefined);
      },
    }),
  ];
}
