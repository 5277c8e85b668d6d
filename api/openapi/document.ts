/**
 * The OpenAPI 3.1 document, built from the same route declarations that drive validation, so it cannot describe an
 * API other than the one that runs. Errors every operation can produce (validation, authentication, rate limit,
 * internal) are added to each operation as problem+json, so clients see the whole contract.
 */
import type { Role } from '../auth/index.ts';
import type { JsonSchema } from './ajv.ts';
import { toOpenApiPath } from './path-template.ts';
import { ACTIONS_SCHEMA_NAME, PROBLEM_SCHEMA_NAME, actionsSchema, problemSchema } from './problem-schema.ts';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface DocumentedResponse {
  description: string;
  schema?: JsonSchema;
  contentType?: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface DocumentedRoute {
  method: string;
  /** Express syntax, relative to basePath. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: readonly Role[] | 'public';
  params: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /** A file body read by the handler itself. */
  rawBody?: { mediaType: string; description: string };
  idempotencyKey?: 'optional' | 'required';
  ifMatch?: 'optional' | 'required';
  etag?: boolean;
  ifNoneMatch?: boolean;
  /** The case command the operation issues, published as `x-command`. */
  command?: string;
  responses: Record<number, DocumentedResponse>;
}

export interface OpenApiDocument {
  openapi: string;
  jsonSchemaDialect: string;
  info: OpenApiInfo;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  tags?: Array<{ name: string }>;
}

const PROBLEM_REF = { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` };

function problemResponse(description: string): Record<string, unknown> {
  return { description, content: { 'application/problem+json': { schema: PROBLEM_REF } } };
}

const ETAG_HEADER = {
  description: 'The case revision as a quoted entity tag (e.g. `"7"`): send it back as If-Match to act on this revision, or as If-None-Match to be answered 304 while nothing changed.',
  schema: { type: 'string', pattern: '^"[0-9]{1,19}"$' },
};

function responseObject(status: number, spec: DocumentedResponse, etag: boolean): Record<string, unknown> {
  const contentType = spec.contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  const schema = spec.schema ?? (status >= 400 ? PROBLEM_REF : undefined);
  const headers = { ...(etag && (status < 300 || status === 304) ? { ETag: ETAG_HEADER } : {}), ...spec.headers };
  return {
    description: spec.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(schema ? { content: { [contentType]: { schema } } } : {}),
  };
}

function parametersOf(route: DocumentedRoute): Array<Record<string, unknown>> {
  const parameters: Array<Record<string, unknown>> = [];
  const pathProps = (route.params.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, schema] of Object.entries(pathProps)) parameters.push({ name, in: 'path', required: true, schema });
  const queryProps = (route.query?.properties ?? {}) as Record<string, JsonSchema>;
  const queryRequired = new Set((route.query?.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(queryProps)) {
    parameters.push({ name, in: 'query', required: queryRequired.has(name), schema });
  }
  if (route.method !== 'get') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: route.idempotencyKey === 'required',
      description:
        'Scoped to the caller: with the caller\'s identity it becomes the command id, so a retry with the same key is recorded once and answers as the first time (replayed: true). The same key with another method, path or payload answers 422 (idempotency-key-reused); another caller\'s key names nothing of yours.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
    });
  }
  if (route.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: route.ifMatch === 'required',
      description: 'The case revision last read, as a decimal string, optionally quoted.',
      schema: { type: 'string', pattern: '^"?[0-9]{1,19}"?$' },
    });
  }
  if (route.ifNoneMatch) {
    parameters.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The ETag last read: answered 304 without a body while the case is still at that revision.',
      schema: { type: 'string' },
    });
  }
  return parameters;
}

function operationOf(route: DocumentedRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = responseObject(Number(status), spec, route.etag === true);
  const standard: Array<[number, string, boolean]> = [
    [400, 'The request is not valid; `errors` lists every problem.', true],
    [401, 'No valid bearer token.', route.auth !== 'public'],
    [403, 'The token does not hold a role this operation needs.', route.auth !== 'public'],
    [404, 'Nothing of that id exists for this caller (another applicant\'s case is answered the same as a missing one).', route.path.includes(':')],
    [409, 'Refused in the case\'s state (wrong-state: `state`, `allowedCommands` and `actions` say what the case takes now) or a stale If-Match (stale-revision: `currentRevision`).', route.command !== undefined || route.ifMatch !== undefined],
    [413, 'The body is larger than the configured limit.', route.body !== undefined],
    [415, 'The body is not application/json.', route.body !== undefined],
    [422, 'The Idempotency-Key was already used by this caller for another request (idempotency-key-reused), or the request does not fit the resource.', route.method !== 'get'],
    [428, 'If-Match is required.', route.ifMatch === 'required'],
    [429, 'Too many requests; see Retry-After.', true],
    [500, 'The server failed; quote the request id.', true],
    [503, 'A storage service is briefly unreachable; send the same request again after Retry-After (commands are idempotent by command id).', true],
  ];
  for (const [status, description, applies] of standard) {
    if (applies && !(String(status) in responses)) responses[String(status)] = problemResponse(description);
  }
  const roles = route.auth === 'public' ? [] : [...route.auth];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: route.auth === 'public' ? [] : [{ bearerAuth: [] }],
    'x-roles': roles,
    ...(route.command ? { 'x-command': route.command } : {}),
    parameters: parametersOf(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    ...(route.rawBody ? { requestBody: { required: true, description: route.rawBody.description, content: { [route.rawBody.mediaType]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(input: {
  info: OpenApiInfo;
  basePath: string;
  routes: readonly DocumentedRoute[];
  schemas: ReadonlyMap<string, JsonSchema>;
}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of input.routes) {
    const path = toOpenApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operationOf(route);
  }
  const tags = [...new Set(input.routes.flatMap((route) => route.tags))].sort().map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: input.info,
    servers: [{ url: input.basePath }],
    paths,
    components: {
      schemas: { [PROBLEM_SCHEMA_NAME]: problemSchema, [ACTIONS_SCHEMA_NAME]: actionsSchema, ...Object.fromEntries(input.schemas) },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    tags,
  };
}
