/** GET /metrics in the Prometheus text format. */
import type { RequestHandler } from 'express';
import { contextOf } from '../http/request-context.ts';
import type { Metrics } from './registry.ts';

export function metricsHandler(metrics: Metrics): RequestHandler {
  return async (req, res) => {
    contextOf(req).routePattern = '/metrics';
    const body = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  };
}
