/**
 * Checks a real response against the published document, for tests: the app's actual bodies, not hand-written
 * fixtures, must fit the schemas clients generate code from.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ValidationIssue } from '../http/index.ts';
import { componentId, issuesFrom, makeAjv, rewriteRefs, type JsonSchema } from './ajv.ts';
import type { OpenApiDocument } from './document.ts';
import { matchesTemplate } from './path-template.ts';

export interface ResponseCheck {
  valid: boolean;
  errors: ValidationIssue[];
}

const compilers = new WeakMap<OpenApiDocument, (schema: JsonSchema) => ValidateFunction>();

function compilerFor(doc: OpenApiDocument): (schema: JsonSchema) => ValidateFunction {
  let compile = compilers.get(doc);
  if (!compile) {
    const ajv = makeAjv({ coerce: false });
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      ajv.addSchema({ ...rewriteRefs(schema), $id: componentId(name) });
    }
    const cache = new Map<string, ValidateFunction>();
    compile = (schema) => {
      const key = JSON.stringify(schema);
      let validate = cache.get(key);
      if (!validate) {
        validate = ajv.compile(rewriteRefs(schema));
        cache.set(key, validate);
      }
      return validate;
    };
    compilers.set(doc, compile);
  }
  return compile;
}

function relativePath(doc: OpenApiDocument, path: string): string {
  const bare = path.split('?')[0] ?? path;
  const base = doc.servers?.[0]?.url ?? '';
  return base !== '' && base !== '/' && bare.startsWith(`${base}/`) ? bare.slice(base.length) : bare;
}

function fail(message: string): ResponseCheck {
  return { valid: false, errors: [{ path: '/', message }] };
}

/**
 * `path` may be concrete (`/api/v1/cases/abc`) or the template (`/cases/{caseId}`). The response is looked up by
 * exact status, then `4XX`-style ranges, then `default`.
 */
export function validateAgainstOpenApi(doc: OpenApiDocument, method: string, path: string, status: number, body: unknown): ResponseCheck {
  const relative = relativePath(doc, path);
  const template = relative in doc.paths ? relative : Object.keys(doc.paths).find((candidate) => matchesTemplate(candidate, relative));
  if (template === undefined) return fail(`no path in the document matches ${relative}`);
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) return fail(`${method.toUpperCase()} ${template} is not in the document`);
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) return fail(`${method.toUpperCase()} ${template} documents no ${status} response`);
  const media = Object.values(response.content ?? {}).find((entry) => entry.schema !== undefined);
  if (!media?.schema) {
    return body === undefined || body === '' ? { valid: true, errors: [] } : fail(`the ${status} response is documented without a body`);
  }
  const validate = compilerFor(doc)(media.schema);
  return validate(body) ? { valid: true, errors: [] } : { valid: false, errors: issuesFrom(validate.errors, '') };
}
