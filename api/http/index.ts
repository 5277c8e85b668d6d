/**
 * The HTTP foundation. Route authors need defineRoute, the problem helpers and registerErrorMapping; the app
 * assembly needs createHttpApp and startHttpServer; pages authors may name their patterns with setRoutePattern.
 */
export { createHttpApp, tokenVerifierFromConfig, API_BASE_PATH } from './app.ts';
export type { HttpApp, HttpAppOptions } from './app.ts';
export { startHttpServer } from './server.ts';
export type { RunningServer, StartOptions } from './server.ts';
export { ApiRouter } from './api-router.ts';
export type { ApiRouterOptions } from './api-router.ts';
export { defineRoute } from './route.ts';
export type {
  AnyRouteDefinition,
  HeaderRule,
  HeaderSpec,
  HttpMethod,
  ResponseSpec,
  RouteContext,
  RouteDefinition,
  RouteHandler,
  RouteResult,
} from './route.ts';
export {
  HttpProblem,
  PROBLEM_CONTENT_TYPE,
  badRequest,
  conflict,
  forbidden,
  internalError,
  isHttpProblem,
  notFound,
  payloadTooLarge,
  preconditionRequired,
  problemType,
  tooManyRequests,
  unauthorized,
  unprocessable,
  unsupportedMediaType,
  validationFailed,
} from './problem.ts';
export type { ProblemInit, ValidationIssue } from './problem.ts';
export { registerErrorMapping, registeredErrorCodes, toProblem } from './error-mapping.ts';
export type { ErrorMapper } from './error-mapping.ts';
export { jsonReplacer, notFoundHandler, problemHandler, sendProblem } from './error-handler.ts';
export { parseIdempotencyKey, parseIfMatch, revisionEtag } from './headers.ts';
export { contextOf, principalOf, requestIdOf, setRoutePattern } from './request-context.ts';
export type { RequestContext } from './request-context.ts';
export type { Readiness, ReadinessReport } from './health.ts';
export { redactPersonalData, containsPersonalData } from './redact.ts';
export { routeLabel } from './route-label.ts';
export { captureLogs, startTestApp, testConfig } from './testing.ts';
export type { TestApp } from './testing.ts';
export { acceptableRequestId } from './request-id.ts';
export { keyedCommandId } from './idempotency.ts';
export { readBodyWithin } from './read-body.ts';
