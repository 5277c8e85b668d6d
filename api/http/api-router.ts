/**
 * The registry of API routes: mounts each declared route on an express Router behind authentication, header,
 * content-type and schema checks, and publishes the same declarations as the OpenAPI document.
 *
 * Schemas are compiled on first use (or all at once by verify()), so route modules and the shared schemas they
 * reference may be registered in any order.
 */
import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { Router, type Request, type RequestHandler } from 'express';
import { authorize, toActor, type Principal } from '../auth/index.ts';
import {
  assertRoutePath,
  buildOpenApiDocument,
  closeObjects,
  componentId,
  issuesFrom,
  makeAjv,
  pathParamNames,
  rewriteRefs,
  type DocumentedRoute,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiInfo,
} from '../openapi/index.ts';
import { parseIdempotencyKey, parseIfMatch } from './headers.ts';
import { inputGuard } from './input-guard.ts';
import { keyedCommandId } from './idempotency.ts';
import {
  HttpProblem,
  preconditionRequired,
  unauthorized,
  unsupportedMediaType,
  validationFailed,
  type ValidationIssue,
} from './problem.ts';
import { toProblem } from './error-mapping.ts';
import { contextOf } from './request-context.ts';
import type { AnyRouteDefinition, RouteContext, RouteResult } from './route.ts';

export interface ApiRouterOptions {
  /** Where the router is mounted; prefixes route patterns in logs and metrics and is the document's server. */
  basePath?: string;
  info?: OpenApiInfo;
}

/** How to send one case command, for clients that follow `allowed` instead of hard-coding paths. */
export interface CommandAction {
  command: string;
  method: string;
  href: string;
}

interface Registered {
  definition: AnyRouteDefinition;
  documented: DocumentedRoute;
}

const DEFAULT_INFO: OpenApiInfo = { title: 'Errand API', version: '1', description: 'One-stop administrative approval.' };

function camel(method: string, path: string): string {
  const words = path.split('/').filter(Boolean).map((segment) => segment.replace(/^:/, 'by-'));
  return [method, ...words]
    .join('-')
    .split(/[-_.~]+/)
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

function defaultParams(path: string): JsonSchema {
  const names = pathParamNames(path);
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string', minLength: 1 }])),
    required: names,
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export class ApiRouter {
  readonly express: Router = Router();
  readonly basePath: string;
  private readonly info: OpenApiInfo;
  private readonly registered: Registered[] = [];
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly inputAjv = makeAjv({ coerce: true });
  private readonly bodyAjv = makeAjv({ coerce: false });
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();
  private cachedDocument: OpenApiDocument | null = null;

  constructor(options: ApiRouterOptions = {}) {
    this.basePath = options.basePath ?? '/api/v1';
    this.info = options.info ?? DEFAULT_INFO;
    this.express.use(inputGuard);
    // Every API answer may carry personal data or a token: no cache, shared or private, may keep it. A route can
    // still send its own Cache-Control with its result.
    this.express.use((_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    });
    this.express.get('/openapi.json', (req, res) => {
      contextOf(req).routePattern = `${this.basePath}/openapi.json`;
      res.json(this.document());
    });
  }

  /** A shared schema, referenced as `{ $ref: '#/components/schemas/<name>' }`. Used exactly as written. */
  schema(name: string, schema: JsonSchema): this {
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`schema name "${name}" must start with a letter`);
    if (this.schemas.has(name) || name === 'Problem' || name === 'Actions') throw new Error(`schema "${name}" is already registered`);
    this.schemas.set(name, schema);
    const registered = { ...rewriteRefs(schema), $id: componentId(name) };
    this.inputAjv.addSchema(registered);
    this.bodyAjv.addSchema(registered);
    this.cachedDocument = null;
    return this;
  }

  add(...routes: AnyRouteDefinition[]): this {
    for (const route of routes) this.register(route);
    this.cachedDocument = null;
    return this;
  }

  /** Compiles every schema now, so a broken schema or a dangling $ref stops startup instead of a request. */
  verify(): void {
    for (const { documented } of this.registered) {
      this.validator(documented.params, this.inputAjv);
      if (documented.query) this.validator(documented.query, this.inputAjv);
      if (documented.body) this.validator(documented.body, this.bodyAjv);
    }
  }

  /**
   * Each allowed command with its method and href, from the routes that declare the command they issue: the one
   * command -> endpoint table, so `actions` cannot drift from the routes that run. Commands no route issues are left
   * out (they are the system's own, such as deadlines).
   */
  actionsFor(allowed: readonly string[], caseId: string): CommandAction[] {
    const actions: CommandAction[] = [];
    for (const command of allowed) {
      const route = this.registered.find((entry) => entry.definition.command === command)?.definition;
      if (!route) continue;
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => (name === 'caseId' ? encodeURIComponent(caseId) : `{${name}}`));
      actions.push({ command, method: route.method.toUpperCase(), href: `${this.basePath}${path}` });
    }
    return actions;
  }

  document(): OpenApiDocument {
    this.cachedDocument ??= buildOpenApiDocument({
      info: this.info,
      basePath: this.basePath,
      routes: this.registered.map((entry) => entry.documented),
      schemas: this.schemas,
    });
    return this.cachedDocument;
  }

  private register(definition: AnyRouteDefinition): void {
    assertRoutePath(definition.path);
    const key = `${definition.method} ${definition.path}`;
    if (this.registered.some((entry) => `${entry.definition.method} ${entry.definition.path}` === key)) {
      throw new Error(`route ${definition.method.toUpperCase()} ${definition.path} is registered twice`);
    }
    if (definition.auth !== 'public' && definition.auth.length === 0) {
      throw new Error(`route ${key}: auth must list at least one role, or be 'public'`);
    }
    const params = definition.params ?? defaultParams(definition.path);
    const declared = Object.keys((params.properties ?? {}) as object);
    const missing = pathParamNames(definition.path).filter((name) => !declared.includes(name));
    if (missing.length > 0) throw new Error(`route ${key}: params schema does not describe ${missing.join(', ')}`);
    const documented: DocumentedRoute = {
      method: definition.method,
      path: definition.path,
      operationId: definition.operationId ?? camel(definition.method, definition.path),
      summary: definition.summary,
      description: definition.description,
      tags: definition.tags,
      auth: definition.auth,
      params,
      query: definition.query,
      body: definition.body ? closeObjects(definition.body) : undefined,
      rawBody: definition.rawBody,
      idempotencyKey: definition.headers?.idempotencyKey,
      // A command route parses If-Match whenever it is sent, so it is documented as optional even when not required.
      ifMatch: definition.headers?.ifMatch ?? (definition.command ? 'optional' : undefined),
      etag: definition.headers?.etag,
      ifNoneMatch: definition.headers?.ifNoneMatch,
      command: definition.command,
      responses: definition.responses,
    };
    if (definition.command && this.registered.some((entry) => entry.definition.command === definition.command)) {
      throw new Error(`route ${key}: another route already issues ${definition.command}`);
    }
    this.registered.push({ definition, documented });
    this.express[definition.method](definition.path, this.handlerFor({ definition, documented }));
  }

  private validator(schema: JsonSchema, ajv: ReturnType<typeof makeAjv>): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(schema));
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private check(schema: JsonSchema | undefined, value: unknown, prefix: string, ajv: ReturnType<typeof makeAjv>, issues: ValidationIssue[]): void {
    if (!schema) return;
    const validate = this.validator(schema, ajv);
    if (!validate(value)) issues.push(...issuesFrom(validate.errors, prefix));
  }

  private handlerFor({ definition, documented }: Registered): RequestHandler {
    const pattern = `${this.basePath}${definition.path === '/' ? '' : definition.path}`;
    return async (req, res) => {
      const context = contextOf(req);
      context.routePattern = pattern;

      let principal: Principal | null = null;
      if (definition.auth !== 'public') {
        const outcome = authorize(req, definition.auth);
        if (outcome instanceof HttpProblem) throw outcome;
        principal = outcome;
      } else {
        // A public route ignores a refused token rather than failing: the caller is simply anonymous here.
        principal = context.principal;
      }

      const idempotencyKey = definition.method === 'get' ? null : parseIdempotencyKey(req.get('Idempotency-Key'));
      if (documented.idempotencyKey === 'required' && idempotencyKey === null) {
        throw validationFailed([{ path: '/headers/idempotency-key', message: 'is required' }]);
      }
      const ifMatch = parseIfMatch(req.get('If-Match'));
      if (documented.ifMatch === 'required' && ifMatch === null) {
        throw preconditionRequired('this operation needs If-Match with the revision you last read, so it cannot act on stale data');
      }

      const issues: ValidationIssue[] = [];
      let bodyArrived = false;
      if (documented.body) {
        bodyArrived = hasBody(req);
        if (!bodyArrived) {
          issues.push({ path: '/body', message: 'is required' });
        } else if (!req.is('application/json')) {
          const sent = req.get('Content-Type');
          throw unsupportedMediaType(`the request body must be application/json, not ${sent ? `"${sent}"` : 'sent without a Content-Type'}`);
        }
      }
      const params = { ...req.params };
      const query = { ...(req.query as Record<string, unknown>) };
      this.check(documented.params, params, '/params', this.inputAjv, issues);
      this.check(documented.query, query, '/query', this.inputAjv, issues);
      if (bodyArrived) this.check(documented.body, req.body, '/body', this.bodyAjv, issues);
      if (issues.length > 0) throw validationFailed(issues);

      // Closures, not methods: handlers may destructure the context.
      const requirePrincipal = (): Principal => {
        if (!principal) throw unauthorized('this operation needs a bearer token');
        return principal;
      };
      const ctx: RouteContext<unknown, unknown, unknown> = {
        params,
        query,
        body: req.body,
        principal,
        requirePrincipal,
        actor: () => toActor(requirePrincipal()),
        commandId: idempotencyKey === null ? randomUUID() : keyedCommandId(principal, idempotencyKey),
        idempotencyKey,
        ifMatch,
        requestId: context.requestId,
        req,
        res,
      };
      let result: RouteResult | void;
      try {
        result = await definition.handler(ctx);
      } catch (error) {
        throw this.withActions(error, typeof params.caseId === 'string' ? params.caseId : undefined);
      }
      if (result) send(res, this.withAllowedActions(result, typeof params.caseId === 'string' ? params.caseId : undefined));
      else if (!res.headersSent) throw new Error(`route ${pattern} returned no result and sent no response`);
    };
  }

  /**
   * Every object in a body listing `allowed` commands gets `actions` beside it (the list stays, for older clients):
   * a command result, a case view, each member case of a bundle application.
   */
  private withAllowedActions(result: RouteResult, caseId: string | undefined): RouteResult {
    return result.body === undefined ? result : { ...result, body: this.annotate(result.body, caseId, 0) };
  }

  private annotate(value: unknown, caseId: string | undefined, depth: number): unknown {
    if (depth > 3 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => this.annotate(item, caseId, depth + 1));
    // Plain objects only: a Date, Buffer or class instance is sent as its own JSON form, untouched.
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const record = value as Record<string, unknown>;
    const id = typeof record.caseId === 'string' ? record.caseId : caseId;
    if (Array.isArray(record.allowed) && id !== undefined) return { ...record, actions: this.actionsFor(record.allowed as string[], id) };
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) out[key] = this.annotate(item, id, depth + 1);
    return out;
  }

  /** A wrong-state problem names the commands the case takes; say how to send each, as command results do. */
  private withActions(error: unknown, caseId: string | undefined): unknown {
    if (caseId === undefined) return error;
    const { problem, unexpected } = toProblem(error);
    const allowed = problem.extensions.allowedCommands;
    if (unexpected || !Array.isArray(allowed)) return error;
    problem.extensions.actions = this.actionsFor(allowed as string[], caseId);
    return problem;
  }
}

function send(res: import('express').Response, result: RouteResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  res.status(result.status);
  if (result.body === undefined || result.status === 204 || result.status === 304) res.end();
  else res.json(result.body);
}
