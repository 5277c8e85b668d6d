/**
 * Request ids tie a client's report, the access log and the error log together. A caller's own X-Request-Id is kept
 * when it is short and plain, so ids can follow a request across systems; anything else is replaced, including ids
 * that look like personal data, because the id is logged.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { containsPersonalData } from './redact.ts';
import { contextOf } from './request-context.ts';

const SANE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function acceptableRequestId(value: string | undefined): value is string {
  return value !== undefined && SANE.test(value) && !containsPersonalData(value);
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const context = contextOf(req);
    const offered = req.get('X-Request-Id');
    context.requestId = acceptableRequestId(offered) ? offered : randomUUID();
    res.setHeader('X-Request-Id', context.requestId);
    next();
  };
}
