/**
 * One way to compile JSON Schema 2020-12 (the dialect of OpenAPI 3.1) for both request validation and response
 * checks in tests, so the document, the validator and the tests can never disagree about what a schema means.
 * Schemas refer to shared schemas as OpenAPI does (`#/components/schemas/Name`); since ajv compiles each schema on
 * its own, those references are rewritten to the ids the components are registered under.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidationIssue } from '../http/index.ts';

export type JsonSchema = { [keyword: string]: unknown };

const COMPONENT_REF = '#/components/schemas/';

export function componentId(name: string): string {
  return `urn:errand:schema:${name}`;
}

/** A deep copy with every `#/components/schemas/X` reference pointing at the registered component. */
export function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' && item.startsWith(COMPONENT_REF)
      ? componentId(item.slice(COMPONENT_REF.length))
      : rewriteRefs(item);
  }
  return out as T;
}

export interface AjvOptions {
  /** Query strings and path segments are text; coercion lets their schemas say `integer` or `boolean`. */
  coerce: boolean;
}

export function makeAjv(options: AjvOptions): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    useDefaults: true,
    coerceTypes: options.coerce ? 'array' : false,
  });
  addFormatsModule.default(ajv);
  // OpenAPI's own annotation keywords, and the published service-definition schema's message annotations; strict
  // mode would otherwise refuse schemas that use them.
  ajv.addVocabulary(['example', 'externalDocs', 'xml', 'discriminator', 'x-expected', 'x-pattern-message']);
  return ajv;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** ajv's errors as `{ path, message }`, one per problem, paths prefixed with where the value came from. */
export function issuesFrom(errors: ErrorObject[] | null | undefined, prefix: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const params = error.params as Record<string, unknown>;
    let path = `${prefix}${error.instancePath}`;
    let message = error.message ?? 'is not valid';
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = `${path}/${escapePointer(params.missingProperty)}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = `${path}/${escapePointer(params.additionalProperty)}`;
      message = 'is not an accepted property';
    } else if (error.keyword === 'unevaluatedProperties' && typeof params.unevaluatedProperty === 'string') {
      path = `${path}/${escapePointer(params.unevaluatedProperty)}`;
      message = 'is not an accepted property';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
    } else if (error.keyword === 'const') {
      message = `must be ${JSON.stringify(params.allowedValue)}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: path === '' ? '/' : path, message });
  }
  return issues;
}

const COMPOSITION = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', '$ref', 'dependentSchemas'];

/**
 * Bodies reject unknown properties unless the author says otherwise: a misspelt optional field should fail loudly,
 * not be ignored. Object schemas built by composition are left alone, because closing one branch of an allOf
 * would reject the properties of its siblings.
 */
export function closeObjects(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  const composed = COMPOSITION.some((keyword) => keyword in schema);
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (isObject && !composed && !('additionalProperties' in schema) && !('unevaluatedProperties' in schema) && !('patternProperties' in schema)) {
    out.additionalProperties = false;
  }
  const properties = schema.properties;
  if (typeof properties === 'object' && properties !== null) {
    out.properties = Object.fromEntries(
      Object.entries(properties as Record<string, JsonSchema>).map(([name, sub]) => [name, closeObjects(sub)]),
    );
  }
  if (typeof schema.items === 'object' && schema.items !== null) out.items = closeObjects(schema.items as JsonSchema);
  if (Array.isArray(schema.prefixItems)) out.prefixItems = (schema.prefixItems as JsonSchema[]).map(closeObjects);
  return out;
}
