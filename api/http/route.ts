/**
 * A route is declared once, as data plus a handler: the framework authenticates, checks headers, content type and
 * input against the schemas, and documents all of it in the OpenAPI document from the same declaration. Route
 * authors write only what the operation does.
 *
 * Example:
 *   defineRoute<{ caseId: string }, Record<string, never>, { comment: string }>({
 *     method: 'post', path: '/cases/:caseId/approve', summary: 'Approve a case', tags: ['cases'],
 *     auth: ['clerk:approver'],
 *     body: { type: 'object', properties: { comment: { type: 'string', maxLength: 500 } }, required: ['comment'] },
 *     headers: { ifMatch: 'required' },
 *     responses: { 200: { description: 'Approved', schema: { $ref: '#/components/schemas/CaseView' } }, 409: { description: 'Wrong state or stale revision' } },
 *     handler: async (ctx) => ({ status: 200, body: await cases.approve(ctx.params.caseId, ctx.ifMatch!, ctx.actor(), ctx.commandId) }),
 *   });
 */
import type { Request, Response } from 'express';
import type { Actor } from '../../domain/events/index.ts';
import type { Principal, Role } from '../auth/index.ts';
import type { JsonSchema } from '../openapi/index.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; error statuses without one are documented as problem+json. */
  schema?: JsonSchema;
  /** Defaults to application/json, or application/problem+json for statuses of 400 and above. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export type HeaderRule = 'optional' | 'required';

export interface HeaderSpec {
  /** Optional on every POST, PUT, PATCH and DELETE; say 'required' to insist on one. */
  idempotencyKey?: HeaderRule;
  /** Parsed whenever sent; say 'required' for operations that must not act on a stale revision (428 if missing). */
  ifMatch?: HeaderRule;
  /** Success responses carry ETag: the case revision, quoted (send it back as If-Match or If-None-Match). */
  etag?: boolean;
  /** The operation answers 304 when If-None-Match names the current revision. */
  ifNoneMatch?: boolean;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Null only on public routes called without a token. */
  principal: Principal | null;
  /** The principal; throws 401 when there is none (never on routes with roles). */
  requirePrincipal(): Principal;
  /** The actor to record on events caused by this request. */
  actor(): Actor;
  /** Derived from the principal and its Idempotency-Key when sent (see idempotency.ts), else a fresh UUID. */
  commandId: string;
  idempotencyKey: string | null;
  /** If-Match as a revision, or null when not sent. */
  ifMatch: bigint | null;
  requestId: string;
  req: Request;
  res: Response;
}

export interface RouteResult {
  status: number;
  /** Sent as JSON; omitted for 204 or when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler<P, Q, B> = (ctx: RouteContext<P, Q, B>) => RouteResult | void | Promise<RouteResult | void>;

export interface RouteDefinition<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** Express syntax relative to /api/v1: plain segments and `:name` only. */
  path: string;
  summary: string;
  description?: string;
  /** Defaults to method + path in camel case. */
  operationId?: string;
  tags: string[];
  /** Roles of which the caller needs one, or 'public'. */
  auth: readonly Role[] | 'public';
  /** Path parameters; defaults to each `:name` as a required string. */
  params?: JsonSchema;
  query?: JsonSchema;
  /** JSON body; objects reject unknown properties unless the schema states additionalProperties. */
  body?: JsonSchema;
  /** A body the handler reads itself (a file), documented as binary of this media type; not parsed or validated here. */
  rawBody?: { mediaType: string; description: string };
  headers?: HeaderSpec;
  /**
   * The case command this route issues (e.g. 'AcceptCase'). The router builds its command -> method + href table
   * from these, so every `allowed` list the API returns comes with `actions` saying how to send each command.
   */
  command?: string;
  responses: Record<number, ResponseSpec>;
  /** Return a RouteResult, or write the response yourself (streams, redirects) and return nothing. */
  handler: RouteHandler<P, Q, B>;
}

/** Identity at runtime; exists so the handler's context is typed by the route's parameters. */
export function defineRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return definition;
}

// The registry stores routes of any parameter types; handlers only ever see their own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDefinition = RouteDefinition<any, any, any>;
