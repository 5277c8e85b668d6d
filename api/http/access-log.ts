/**
 * One JSON line per request: method, route pattern, status, duration, request id and the principal's kind. Nothing
 * that identifies a person (no URL, query, body, IP or principal id), so access logs can be kept and shipped freely.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { principalKindOf } from '../auth/index.ts';
import { contextOf } from './request-context.ts';
import { routeLabel } from './route-label.ts';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const context = contextOf(req);
    let logged = false;
    const write = (completed: boolean) => {
      if (logged) return;
      logged = true;
      const durationMs = Number(process.hrtime.bigint() - context.startedAt) / 1e6;
      const line = {
        requestId: context.requestId,
        method: req.method,
        route: routeLabel(req),
        status: res.statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
        principal: principalKindOf(context.principal),
        ...(completed ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', () => write(true));
    res.once('close', () => write(res.writableFinished));
    next();
  };
}
