/**
 * Per-request facts the framework establishes once (request id, principal, matched route pattern) and later stages
 * read. Kept in a WeakMap rather than on `req` so no global Express type is widened and nothing outlives the request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/index.ts';
import type { HttpProblem } from './problem.ts';

export interface RequestContext {
  requestId: string;
  /** process.hrtime.bigint() when the request arrived. */
  startedAt: bigint;
  /** Set by the authentication stage when a valid bearer token came with the request. */
  principal: Principal | null;
  /** Set when a token came but was refused; routes that need a principal answer with it. */
  authError: HttpProblem | null;
  /** The route pattern (`/api/v1/cases/:caseId`), never the raw URL: logs and metrics label by it. */
  routePattern: string | null;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

export function contextOf(req: IncomingMessage): RequestContext {
  let context = contexts.get(req);
  if (!context) {
    context = { requestId: randomUUID(), startedAt: process.hrtime.bigint(), principal: null, authError: null, routePattern: null };
    contexts.set(req, context);
  }
  return context;
}

export function requestIdOf(req: IncomingMessage): string {
  return contextOf(req).requestId;
}

export function principalOf(req: IncomingMessage): Principal | null {
  return contextOf(req).principal;
}

/**
 * For routers that are not built with defineRoute (the pages): name the pattern so logs and metrics can label the
 * request without its URL. Unnamed requests are labelled by the express route path if one matched.
 */
export function setRoutePattern(req: IncomingMessage, pattern: string): void {
  contextOf(req).routePattern = pattern;
}
