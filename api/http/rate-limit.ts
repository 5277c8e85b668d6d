/**
 * Requests per minute per client: the principal when a valid token came (so people behind one office NAT do not
 * share a budget), else the IP address. Probes and scrapes are not counted, or a busy monitor could take the
 * service out of its own load balancer. Counts live in a HitCounter: this process's memory by default, Redis when
 * REDIS_URL is set, so that several API processes enforce one budget between them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { HitCounter } from '../../adapters/rate-limit/index.ts';
import { sendProblem } from './error-handler.ts';
import { tooManyRequests } from './problem.ts';
import { contextOf } from './request-context.ts';

const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics', '/api/v1/health', '/api/v1/ready']);
const WINDOW_MS = 60_000;

/** Until the counter's shared secret can be read, keys are made with one of this process's own. */
const LOCAL_SECRET = randomBytes(32);

/**
 * Keys are keyed hashes: the counter's store and the partition key the limiter derives for the RateLimit-Policy
 * header must not hold citizen IDs, and a plain hash of an ID is easy to reverse (IDs have little entropy).
 */
export function clientKey(req: Request, secret: Buffer = LOCAL_SECRET): string {
  const principal = contextOf(req).principal;
  const raw = principal ? `${principal.kind}:${principal.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
  return createHmac('sha256', secret).update(raw).digest('base64url');
}

/** express-rate-limit's store over a HitCounter. */
function counterStore(counter: HitCounter): Store {
  let windowMs = WINDOW_MS;
  return {
    localKeys: !counter.shared,
    init: (options) => void (windowMs = options.windowMs),
    increment: async (key) => {
      const { hits, resetAt } = await counter.hit(key, windowMs);
      return { totalHits: hits, resetTime: new Date(resetAt) };
    },
    decrement: (key) => counter.undo(key),
    resetKey: (key) => counter.reset(key),
  };
}

export interface RateLimiterOptions {
  limitPerMinute: number;
  logger: Logger;
  counter: HitCounter;
}

export function rateLimiter(options: RateLimiterOptions): RequestHandler {
  const { logger, counter } = options;
  let warned = false;
  const secret = async (): Promise<Buffer> => {
    try {
      return await counter.keySecret();
    } catch (error) {
      if (!warned) logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate limiter: shared key secret unavailable; counting with a local one');
      warned = true;
      return LOCAL_SECRET;
    }
  };
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: counterStore(counter),
    keyGenerator: async (req) => clientKey(req, await secret()),
    // A limiter that cannot count lets requests through (and says so in the log) rather than take the API down.
    passOnStoreError: true,
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
