import type { RequestHandler } from 'express';
import { badRequest } from './problem.ts';

/**
 * Refuses, before any route runs, what no operation can take and what would otherwise surface as a server error
 * deep inside: a path that does not percent-decode (`%ZZ`), NUL characters (PostgreSQL text cannot hold them), and
 * numbers too large to be finite (`1e309`, which JSON Schema's integer check lets through as Infinity).
 */
export const inputGuard: RequestHandler = (req, _res, next) => {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badRequest(`the path segment "${segment.slice(0, 80)}" is not valid percent-encoding`, { slug: 'bad-path' });
    }
    if (decoded.includes('\u0000')) throw badRequest('the path contains a NUL character', { slug: 'bad-path' });
  }
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') continue;
      if (item.includes('\u0000') || name.includes('\u0000')) throw badRequest(`query parameter "${name.replace(/\u0000/g, '')}" contains a NUL character`, { slug: 'bad-query' });
      if (NUMERIC.test(item.trim()) && !Number.isFinite(Number(item))) throw badRequest(`query parameter "${name}" is not a finite number`, { slug: 'bad-query' });
    }
  }
  next();
};

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
