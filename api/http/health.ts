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
