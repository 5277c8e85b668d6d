/**
 * The label a request is logged and counted under: its route pattern, never its URL, because URLs carry citizen
 * IDs and case numbers and because metrics need a bounded set of labels.
 */
import type { Request } from 'express';
import { contextOf } from './request-context.ts';

export const UNMATCHED = '(unmatched)';

export function routeLabel(req: Request): string {
  const pattern = contextOf(req).routePattern;
  if (pattern) return pattern;
  // Routers not built with defineRoute (the pages): express remembers the matched route's own path.
  const matched = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof matched === 'string') return `${req.baseUrl ?? ''}${matched}` || '/';
  return UNMATCHED;
}
