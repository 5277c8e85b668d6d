/**
 * A standalone JSON Schema (with its own `$defs`) as OpenAPI components: `<name>` plus `<name>.<def>` for each
 * definition, references rewritten to them. So the document references a published schema instead of restating it,
 * and tools that resolve `#/...` against the document root (type generators) find every definition.
 */
import type { JsonSchema } from './ajv.ts';

function rewrite(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, name));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')
      ? `#/components/schemas/${name}.${item.slice('#/$defs/'.length)}`
      : rewrite(item, name);
  }
  return out;
}

export function schemaAsComponents(name: string, schema: JsonSchema): Array<[string, JsonSchema]> {
  const { $schema: _dialect, $id: _id, $defs, ...root } = schema;
  const defs = Object.entries(($defs ?? {}) as Record<string, JsonSchema>);
  return [[name, rewrite(root, name) as JsonSchema], ...defs.map(([def, body]): [string, JsonSchema] => [`${name}.${def}`, rewrite(body, name) as JsonSchema])];
}
