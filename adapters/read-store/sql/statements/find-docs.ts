import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { Condition, NormalizedQuery, Ordering } from '../../query.ts';
import type { SqlSession } from '../driver.ts';
import { pathLiteral } from '../json-path.ts';
import type { Tables } from '../tables.ts';

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const isMissing = (x: string) => `(${x} IS NULL OR ${x} = 'null'::jsonb)`;
const SQL_OP = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** CASE, not AND: PostgreSQL may evaluate AND operands in any order, and casting a jsonb string to numeric throws. */
function condition(c: Condition, params: Params): string {
  const x = `(doc #> ${pathLiteral(c.path)})`;
  const text = `(doc #>> ${pathLiteral(c.path)})`;
  switch (c.kind) {
    case 'eq':
      return c.value === null ? isMissing(x) : `${x} = ${params.add(JSON.stringify(c.value))}::jsonb`;
    case 'in': {
      const listed = `${x} IN (SELECT value FROM jsonb_array_elements(${params.add(JSON.stringify(c.values))}::jsonb))`;
      return c.values.includes(null) ? `(${listed} OR ${x} IS NULL)` : `COALESCE(${listed}, false)`;
    }
    case 'range': {
      const op = SQL_OP[c.op];
      if (typeof c.value === 'number') {
        return `(CASE WHEN jsonb_typeof(${x}) = 'number' THEN ${x}::numeric ${op} ${params.add(String(c.value))}::numeric ELSE false END)`;
      }
      if (typeof c.value === 'string') {
        return `(CASE WHEN jsonb_typeof(${x}) = 'string' THEN ${text} COLLATE "C" ${op} ${params.add(c.value)}::text ELSE false END)`;
      }
      return `(CASE WHEN jsonb_typeof(${x}) = 'boolean' THEN ${x}::boolean ${op} ${params.add(String(c.value))}::boolean ELSE false END)`;
    }
    case 'contains': {
      const element = `${x} @> jsonb_build_array(${params.add(JSON.stringify(c.value))}::jsonb)`;
      const substring = typeof c.value === 'string' ? ` WHEN 'string' THEN strpos(${text}, ${params.add(c.value)}::text) > 0` : '';
      return `(CASE jsonb_typeof(${x}) WHEN 'array' THEN ${element}${substring} ELSE false END)`;
    }
  }
}

/** Missing/null last either way; then numbers before strings (MongoDB's type order), each in its own natural order. */
function ordering(o: Ordering): string[] {
  const x = `(doc #> ${pathLiteral(o.path)})`;
  const dir = o.direction === 'asc' ? 'ASC' : 'DESC';
  return [
    `${isMissing(x)} ASC`,
    `(CASE jsonb_typeof(${x}) WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 4 ELSE 5 END) ${dir}`,
    `(CASE WHEN jsonb_typeof(${x}) = 'number' THEN ${x}::numeric END) ${dir}`,
    `(CASE WHEN jsonb_typeof(${x}) = 'string' THEN doc #>> ${pathLiteral(o.path)} END) COLLATE "C" ${dir}`,
    // Only for objects, arrays and booleans: JSON null and a missing field must tie, leaving the order to the id.
    `(CASE WHEN jsonb_typeof(${x}) IN ('object', 'array', 'boolean') THEN ${x} END) ${dir}`,
  ];
}

export async function findDocs(
  session: SqlSession,
  t: Tables,
  collection: string,
  query: NormalizedQuery,
): Promise<{ items: Doc[]; total: number }> {
  const params = new Params();
  const where = [`collection = ${params.add(collection)}`, ...query.conditions.map((c) => condition(c, params))].join(' AND ');
  const order = [...query.orderBy.flatMap(ordering), 'id ASC'].join(', ');
  const limit = query.limit === undefined ? '' : ` LIMIT ${params.add(query.limit)}`;
  const offset = query.offset ? ` OFFSET ${params.add(query.offset)}` : '';
  // The window count rides along with the page; only an empty page (offset past the end) needs a second look.
  const rows = await session.query<{ doc: Doc; total: string | number }>(
    `SELECT doc, count(*) OVER () AS total FROM ${t.docs} WHERE ${where} ORDER BY ${order}${limit}${offset}`,
    params.values,
  );
  if (rows.length > 0) return { items: rows.map((r) => r.doc), total: Number(rows[0]!.total) };
  if (query.offset === 0 && query.limit !== 0) return { items: [], total: 0 };
  const counted = await session.query<{ total: string | number }>(
    `SELECT count(*) AS total FROM ${t.docs} WHERE ${where}`,
    params.values.slice(0, params.values.length - (limit ? 1 : 0) - (offset ? 1 : 0)),
  );
  return { items: [], total: Number(counted[0]?.total ?? 0) };
}
