import type { FieldFilter, FindQuery, Scalar } from '../../domain/ports/read-store.ts';

/** A filter reduced to one shape, so every adapter translates the same four cases and rejects the same bad input. */
export type Condition =
  | { kind: 'eq'; path: string[]; value: Scalar }
  | { kind: 'in'; path: string[]; values: Scalar[] }
  | { kind: 'range'; path: string[]; op: RangeOp; value: string | number | boolean }
  | { kind: 'contains'; path: string[]; value: Scalar };

export type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';
const RANGE_OPS: readonly RangeOp[] = ['lt', 'lte', 'gt', 'gte'];

export interface Ordering {
  path: string[];
  direction: 'asc' | 'desc';
}

export interface NormalizedQuery {
  conditions: Condition[];
  orderBy: Ordering[];
  limit: number | undefined;
  offset: number;
}

export class InvalidQueryError extends TypeError {
  readonly code = 'INVALID_QUERY';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}

/** Splits "a.b.0" into segments; refuses what no adapter can address the same way. */
export function parsePath(field: string): string[] {
  const segments = field.split('.');
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('$') || segment.includes('\u0000')) {
      throw new InvalidQueryError(`field path "${field}" has an empty, "$"-prefixed or NUL segment`);
    }
  }
  return segments;
}

function isScalar(value: unknown): value is Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  return typeof value === 'number' && Number.isFinite(value);
}

function scalar(value: unknown, field: string): Scalar {
  if (!isScalar(value)) throw new InvalidQueryError(`filter on "${field}" needs a string, finite number, boolean or null`);
  return value;
}

function condition(field: string, filter: FieldFilter): Condition[] {
  const path = parsePath(field);
  if (filter === null || typeof filter !== 'object') return [{ kind: 'eq', path, value: scalar(filter, field) }];
  if (Array.isArray(filter)) throw new InvalidQueryError(`filter on "${field}" is an array; use { in: [...] }`);
  const keys = Object.keys(filter);
  if ('in' in filter) {
    if (keys.length !== 1 || !Array.isArray(filter.in)) throw new InvalidQueryError(`"in" filter on "${field}" takes one array`);
    return [{ kind: 'in', path, values: filter.in.map((v) => scalar(v, field)) }];
  }
  if ('contains' in filter) {
    if (keys.length !== 1) throw new InvalidQueryError(`"contains" filter on "${field}" takes no other operator`);
    return [{ kind: 'contains', path, value: scalar(filter.contains, field) }];
  }
  if (keys.length === 0) throw new InvalidQueryError(`filter on "${field}" has no operator`);
  const range = filter as Partial<Record<RangeOp, unknown>>;
  return keys.map((key) => {
    if (!RANGE_OPS.includes(key as RangeOp)) throw new InvalidQueryError(`unknown operator "${key}" on "${field}"`);
    const value = scalar(range[key as RangeOp], field);
    if (value === null) throw new InvalidQueryError(`range bound "${key}" on "${field}" cannot be null`);
    return { kind: 'range', path, op: key as RangeOp, value };
  });
}

function count(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidQueryError(`${name} must be a non-negative integer`);
  return value;
}

export function normalizeQuery(query: FindQuery): NormalizedQuery {
  const conditions = Object.entries(query.where ?? {}).flatMap(([field, filter]) => condition(field, filter));
  const orderBy = (query.orderBy ?? []).map(({ field, direction }) => {
    if (direction !== 'asc' && direction !== 'desc') throw new InvalidQueryError(`direction for "${field}" must be asc or desc`);
    return { path: parsePath(field), direction };
  });
  return { conditions, orderBy, limit: count(query.limit, 'limit'), offset: count(query.offset, 'offset') ?? 0 };
}
