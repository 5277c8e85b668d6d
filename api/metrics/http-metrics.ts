/** Counts and times every request under its route pattern (never its URL: bounded labels, no personal data). */
import type { RequestHandler } from 'express';
import { contextOf } from '../http/index.ts';
import { routeLabel } from '../http/index.ts';
import type { Metrics } from './registry.ts';

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const context = contextOf(req);
    res.once('finish', () => {
      const route = routeLabel(req);
      const seconds = Number(process.hrtime.bigint() - context.startedAt) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
    });
    next();
  };
}
