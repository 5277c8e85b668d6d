/**
 * The last middleware: every error becomes a problem+json response. Expected errors are answered as mapped;
 * anything unrecognised is a bug, answered with a generic 500 and logged with the request id (message and stack
 * redacted of personal data). No stack trace ever reaches a response body.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { toProblem } from './error-mapping.ts';
import { PROBLEM_CONTENT_TYPE, notFound, type HttpProblem } from './problem.ts';
import { redactPersonalData } from './redact.ts';
import { contextOf } from './request-context.ts';

/** Revisions and positions are bigint inside and decimal strings on the wire. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function requestPath(req: Request): string {
  return (req.originalUrl || req.url).split('?')[0] ?? '/';
}

export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const body = problem.toJSON(requestPath(req), contextOf(req).requestId);
  res.status(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(JSON.stringify(body, jsonReplacer));
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: redactPersonalData(error.message),
    stack: error.stack ? redactPersonalData(error.stack) : undefined,
  };
}

/** While a dependency stays down every request fails the same way; one warning per this period says enough. */
const UNAVAILABLE_LOG_EVERY_MS = 60_000;

export function problemHandler(logger: Logger): ErrorRequestHandler {
  // Kept per reason: a pool running out of connections during an outage is still worth its own line.
  const throttles = { unreachable: { loggedAt: -Infinity, since: 0 }, busy: { loggedAt: -Infinity, since: 0 } };
  return (error: unknown, req, res, _next) => {
    const { problem, unexpected, unavailable } = toProblem(error);
    const context = contextOf(req);
    if (unavailable) {
      const throttle = throttles[unavailable];
      throttle.since += 1;
      if (Date.now() - throttle.loggedAt >= UNAVAILABLE_LOG_EVERY_MS) {
        const code = (error as { code?: unknown } | null)?.code;
        logger.warn(
          { requestId: context.requestId, answered503: throttle.since, reason: unavailable, ...(typeof code === 'string' ? { code } : {}) },
          unavailable === 'busy'
            ? 'every connection to a dependency is in use (a pool waited its whole connect bound); answering 503 with Retry-After'
            : 'a dependency is unreachable; answering 503 with Retry-After',
        );
        throttle.loggedAt = Date.now();
        throttle.since = 0;
      }
    }
    if (unexpected) {
      logger.error(
        { requestId: context.requestId, method: req.method, route: context.routePattern ?? '(unmatched)', err: describeError(error) },
        'request failed with an unexpected error',
      );
    }
    if (res.headersSent) {
      // Part of a response is already on the wire; the only honest signal left is to cut the connection.
      res.destroy();
      return;
    }
    sendProblem(req, res, problem);
  };
}

/** Unknown paths answer 404 as a problem, like every other error. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    sendProblem(req, res, notFound(`there is no ${req.method} ${requestPath(req)}`));
  };
}
