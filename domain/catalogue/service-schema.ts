/**
 * The published JSON Schema of service definitions (schema/service-definition.schema.json, served by the API) is
 * the one description of their shape; Ajv checks it here and its errors are worded as the rest of the catalogue
 * words them ("<path> must be ..., got ..."), one per field, with paths like materials[1].mediaTypes[0].
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from './schema/service-definition.schema.json' with { type: 'json' };
import { at, describe } from './shape.ts';

export const SERVICE_DEFINITION_SCHEMA: Readonly<Record<string, unknown>> = schema;

export interface SchemaProblem {
  path: string;
  message: string;
  /** Object-level problems (missing and unknown fields) come before those of the object's own fields. */
  objectLevel: boolean;
}

const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true, strict: true });
// Wording only: the message an author reads when a value does not fit (see formatting below).
ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
ajv.addKeyword({ keyword: 'x-pattern-message', schemaType: 'string' });
const validate = ajv.compile(schema);

/** `/materials/1/mediaTypes/0` as `materials[1].mediaTypes[0]`, reading the data to tell indexes from keys. */
function pathOf(pointer: string, data: unknown): string {
  let path = '';
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(node) ? at(path, Number(key)) : at(path, key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function range(s: Record<string, unknown>): string {
  const min = typeof s.minimum === 'number' ? s.minimum : undefined;
  const max = typeof s.maximum === 'number' ? s.maximum : undefined;
  if (min !== undefined && max !== undefined) return `${min}..${max}`;
  return min !== undefined ? `>= ${min}` : '';
}

/** What the value must be, from the schema that refused it. */
function expected(s: Record<string, unknown>): string {
  if (typeof s['x-expected'] === 'string') return s['x-expected'];
  if (Array.isArray(s.enum)) return `must be one of ${s.enum.join(', ')}`;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'boolean':
      return 'must be true or false';
    case 'integer':
      return `must be an integer ${range(s)}`.trimEnd();
    case 'number':
      return typeof s.minimum === 'number' ? `must be a number >= ${s.minimum}` : 'must be a number';
    case 'array':
      return 'must be an array';
    case 'object':
      return 'must be an object';
    default:
      return 'must be a non-empty string';
  }
}

function problemOf(error: ErrorObject, root: unknown): SchemaProblem | null {
  const path = pathOf(error.instancePath, root);
  const s = (error.parentSchema ?? {}) as Record<string, unknown>;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: at(path, String(params.missingProperty)), message: 'is missing', objectLevel: true };
    case 'additionalProperties':
      return { path: at(path, String(params.additionalProperty)), message: 'is not a known field', objectLevel: true };
    case 'discriminator':
      if (params.error === 'tag' && params.tagValue === undefined) return null; // the missing kind is reported by required
      return { path: at(path, String(params.tag)), message: `must be one of evidence, upload, got ${describe(params.tagValue)}`, objectLevel: false };
    case 'uniqueItems': {
      const index = Math.max(Number(params.i), Number(params.j));
      return { path: at(path, index), message: `${JSON.stringify((error.data as unknown[])[index])} is listed twice`, objectLevel: false };
    }
    case 'minItems':
      return { path, message: 'must not be empty', objectLevel: false };
    case 'pattern':
      return typeof s['x-pattern-message'] === 'string'
        ? { path, message: `${JSON.stringify(error.data)} ${s['x-pattern-message']}`, objectLevel: false }
        : { path, message: `${expected(s)}, got ${describe(error.data)}`, objectLevel: false };
    case 'oneOf':
    case 'if':
      return null; // the chosen branch reports what is wrong
    default:
      return { path: path || '(root)', message: `${expected(s)}, got ${describe(error.data)}`, objectLevel: false };
  }
}

/** Every way `raw` does not fit the schema, at most one per value (the first the schema finds). */
export function schemaProblems(raw: unknown): SchemaProblem[] {
  if (validate(raw)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = problemOf(error, raw);
    if (!problem) continue;
    const key = `${problem.path}\u0000${problem.objectLevel ? problem.message : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
