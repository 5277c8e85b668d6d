/**
 * RFC 9457 problem details. Every error response of the API is one of these, so clients (and the pages) handle
 * failures with one code path and always learn what was wrong, never how the server is built.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs are URNs, not URLs: nothing to host, and they never look like links a citizen should follow. */
export function problemType(slug: string): string {
  return `urn:errand:problem:${slug}`;
}

export interface ProblemInit {
  status: number;
  /** Slug of the problem type (`urn:errand:problem:<slug>`). */
  slug: string;
  title: string;
  detail: string;
  extensions?: Record<string, unknown>;
  /** Response headers that belong to the problem (WWW-Authenticate, Retry-After, Allow). */
  headers?: Record<string, string>;
}

/** Names the standard members so extensions cannot silently overwrite them in the body. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance']);

export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.name = 'HttpProblem';
    this.status = init.status;
    this.type = problemType(init.slug);
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = Object.fromEntries(Object.entries(init.extensions ?? {}).filter(([key]) => !RESERVED.has(key)));
    this.headers = { ...(init.headers ?? {}) };
  }

  /** The problem+json body; `instance` and `requestId` come from the request being answered. */
  toJSON(instance?: string, requestId?: string): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance === undefined ? {} : { instance }),
      ...this.extensions,
      ...(requestId === undefined ? {} : { requestId }),
    };
  }
}

export interface ValidationIssue {
  /** JSON pointer prefixed with where the value came from: `/body/applicant/name`, `/query/limit`, `/headers/if-match`. */
  path: string;
  message: string;
}

type Extra = { extensions?: Record<string, unknown>; headers?: Record<string, string>; slug?: string; title?: string };

function make(status: number, slug: string, title: string, detail: string, extra: Extra = {}): HttpProblem {
  return new HttpProblem({
    status,
    slug: extra.slug ?? slug,
    title: extra.title ?? title,
    detail,
    extensions: extra.extensions,
    headers: extra.headers,
  });
}

export function badRequest(detail: string, extra?: Extra): HttpProblem {
  return make(400, 'bad-request', 'Bad request', detail, extra);
}

/** 400 listing every validation error, so a client fixes its request in one round trip. */
export function validationFailed(errors: ValidationIssue[], extra: Extra = {}): HttpProblem {
  const first = errors[0];
  const summary = first ? `${first.path}: ${first.message}` : 'the request is not valid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return make(400, 'validation', 'Request is not valid', `${summary}${more}`, {
    ...extra,
    extensions: { ...(extra.extensions ?? {}), errors },
  });
}

export type BearerError = 'invalid_request' | 'invalid_token';

/**
 * 401 with the RFC 6750 challenge. Without a token the challenge carries no error code, as the RFC asks, so clients
 * can tell "sign in" from "your token is bad".
 */
export function unauthorized(detail: string, error?: BearerError, extra: Extra = {}): HttpProblem {
  const quoted = detail.replace(/["\\]/g, "'");
  const challenge = error
    ? `Bearer realm="errand", error="${error}", error_description="${quoted}"`
    : 'Bearer realm="errand"';
  return make(401, error ? 'invalid-token' : 'unauthenticated', 'Authentication required', detail, {
    ...extra,
    headers: { 'WWW-Authenticate': challenge, ...(extra.headers ?? {}) },
  });
}

export function forbidden(detail: string, extra?: Extra): HttpProblem {
  return make(403, 'forbidden', 'Forbidden', detail, extra);
}

export function notFound(detail: string, extra?: Extra): HttpProblem {
  return make(404, 'not-found', 'Not found', detail, extra);
}

export function conflict(detail: string, extra?: Extra): HttpProblem {
  return make(409, 'conflict', 'Conflict', detail, extra);
}

export function payloadTooLarge(limitBytes: number, extra: Extra = {}): HttpProblem {
  return make(413, 'payload-too-large', 'Request body too large', `the request body is larger than the limit of ${limitBytes} bytes`, {
    ...extra,
    extensions: { ...(extra.extensions ?? {}), limitBytes },
  });
}

export function unsupportedMediaType(detail: string, extra?: Extra): HttpProblem {
  return make(415, 'unsupported-media-type', 'Unsupported media type', detail, extra);
}

export function unprocessable(detail: string, extra?: Extra): HttpProblem {
  return make(422, 'unprocessable', 'Request cannot be processed', detail, extra);
}

/** 428: the route needs If-Match so that a stale client cannot overwrite a newer revision unknowingly. */
export function preconditionRequired(detail: string, extra?: Extra): HttpProblem {
  return make(428, 'precondition-required', 'Precondition required', detail, extra);
}

export function tooManyRequests(retryAfterSeconds: number, extra: Extra = {}): HttpProblem {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return make(429, 'rate-limited', 'Too many requests', `too many requests; retry after ${seconds} seconds`, {
    ...extra,
    extensions: { ...(extra.extensions ?? {}), retryAfterSeconds: seconds },
    headers: { 'Retry-After': String(seconds), ...(extra.headers ?? {}) },
  });
}

/** The only 500 body there is: nothing about the failure leaks, the request id lets operators find the log line. */
export function internalError(): HttpProblem {
  return make(500, 'internal', 'Internal server error', 'the server failed to handle this request; quote the request id when reporting it');
}

export function isHttpProblem(value: unknown): value is HttpProblem {
  return value instanceof HttpProblem;
}
