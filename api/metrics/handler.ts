/** GET /metrics in the Prometheus text format. */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { contextOf } from '../http/index.ts';
import { notFound, unauthorized } from '../http/index.ts';
import type { Metrics } from './registry.ts';

export interface MetricsAccess {
  /** Required as `Authorization: Bearer <token>` when set. */
  token: string | null;
  /** Served to anyone when no token is set (the embedded default on loopback, or a separate metrics listener). */
  open: boolean;
}

/** Scrapes within this long share one rendering, so a flood of scrapes costs one collection a second. */
const RENDER_TTL_MS = 1000;

export function metricsHandler(metrics: Metrics, access: MetricsAccess = { token: null, open: true }): RequestHandler {
  let rendered: { at: number; body: Promise<string> } | null = null;
  const render = () => {
    const now = Date.now();
    if (!rendered || now - rendered.at > RENDER_TTL_MS) {
      const body = metrics.registry.metrics();
      rendered = { at: now, body };
      body.catch(() => (rendered = null));
    }
    return rendered.body;
  };
  return async (req, res) => {
    contextOf(req).routePattern = '/metrics';
    if (access.token !== null) {
      const sent = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
      const expected = Buffer.from(access.token);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw unauthorized('/metrics needs the bearer token configured as METRICS_TOKEN');
    } else if (!access.open) {
      throw notFound('/metrics is served with METRICS_TOKEN or on METRICS_PORT');
    }
    const body = await render();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  };
}
