/**
 * Requests per minute per client: the principal when a valid token came (so people behind one office NAT do not
 * share a budget), else the IP address. Probes and scrapes are not counted, or a busy monitor could take the
 * service out of its own load balancer. Counts live in this process's memory: with several API instances each
 * enforces the limit on its own.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Logger } from 'pino';
import { sendProblem } from './error-handler.ts';
import { tooManyRequests } from './problem.ts';
import { contextOf } from './request-context.ts';

const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics']);
const WINDOW_MS = 60_000;

/**
 * Keys are keyed hashes: the limiter's memory and the partition key it derives for the RateLimit-Policy header
 * must not hold citizen IDs, and a plain hash of an ID is easy to reverse (IDs have little entropy).
 */
const KEY_SECRET = randomBytes(32);

export function clientKey(req: Request): string {
  const principal = contextOf(req).principal;
  const raw = principal ? `${principal.kind}:${principal.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
  return createHmac('sha256', KEY_SECRET).update(raw).digest('base64url');
}

export function rateLimiter(options: { limitPerMinute: number; logger: Logger }): RequestHandler {
  const { logger } = options;
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: clientKey,
    // Page shells and static assets are cheap and fetched a dozen at a time per page by clerks who often share one
    // office IP; the budget is for the API.
    skip: (req) => UNLIMITED_PATHS.has(req.path) || (req.method === 'GET' && !req.path.startsWith('/api/')),
    handler: (req, res) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const seconds = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : WINDOW_MS / 1000;
      sendProblem(req, res, tooManyRequests(seconds, { extensions: { limitPerMinute: options.limitPerMinute } }));
    },
    logger: {
      warn: (error, message) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, message ?? 'rate limiter warning'),
      error: (error, message) => logger.error({ err: error instanceof Error ? error.message : String(error) }, message ?? 'rate limiter error'),
    },
  });
}
