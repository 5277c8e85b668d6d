import type { Doc, Scalar } from '../../../domain/ports/read-store.ts';
import type { Condition, Ordering } from '../query.ts';

/** Same walk as PostgreSQL's `#>`: object keys, and decimal segments as array indexes. */
export function valueAt(doc: Doc, path: string[]): unknown {
  let current: unknown = doc;
  for (const segment of path) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (current !== null && typeof current === 'object') current = Object.hasOwn(current, segment) ? (current as Doc)[segment] : undefined;
    else return undefined;
  }
  return current;
}

/** Code point order (what "C" collation and MongoDB give for UTF-8), not JavaScript's UTF-16 unit order. */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const missing = (v: unknown) => v === undefined || v === null;
const sameScalar = (v: unknown, s: Scalar) => (s === null ? missing(v) : v === s);

function compareSameType(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string') return compareStrings(a, b as string);
  return a === b ? 0 : a < b ? -1 : 1;
}

export function matches(doc: Doc, c: Condition): boolean {
  const v = valueAt(doc, c.path);
  switch (c.kind) {
    case 'eq':
      return sameScalar(v, c.value);
    case 'in':
      return c.values.some((s) => sameScalar(v, s));
    case 'range': {
      if (typeof v !== typeof c.value) return false;
      const cmp = compareSameType(v as string | number | boolean, c.value);
      return c.op === 'lt' ? cmp < 0 : c.op === 'lte' ? cmp <= 0 : c.op === 'gt' ? cmp > 0 : cmp >= 0;
    }
    case 'contains':
      if (Array.isArray(v)) return v.some((element) => element === c.value);
      return typeof v === 'string' && typeof c.value === 'string' && v.includes(c.value);
  }
}

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 4;
  if (typeof v === 'object') return 3;
  return 5;
}

/** Mirrors the SQL ORDER BY: missing/null last in both directions, numbers before strings, then by value, then id. */
export function comparator(orderBy: Ordering[]): (a: { id: string; doc: Doc }, b: { id: string; doc: Doc }) => number {
  return (a, b) => {
    for (const { path, direction } of orderBy) {
      const x = valueAt(a.doc, path);
      const y = valueAt(b.doc, path);
      if (missing(x) || missing(y)) {
        if (missing(x) && missing(y)) continue;
        return missing(x) ? 1 : -1;
      }
      const sign = direction === 'asc' ? 1 : -1;
      const rank = typeRank(x) - typeRank(y);
      if (rank !== 0) return rank * sign;
      const cmp = typeRank(x) === 3 || typeRank(x) === 4 ? compareStrings(JSON.stringify(x), JSON.stringify(y)) : compareSameType(x as string, y as string);
      if (cmp !== 0) return cmp * sign;
    }
    return compareStrings(a.id, b.id);
  };
}
