import { comparator } from '../memory/matching.ts';
import type { Doc } from '../../../domain/ports/read-store.ts';
import type { NormalizedQuery } from '../query.ts';

/**
 * The order the SQL adapters give (missing and null last either way, numbers before strings, code point order, ties
 * by id), applied to the matching rows after they are read; for servers without the expressions to sort so.
 */
export function sortAndPage(rows: Array<{ i: string; d: Doc }>, q: NormalizedQuery): Doc[] {
  const order = comparator(q.orderBy);
  const sorted = rows.map((row) => ({ id: row.i, doc: row.d })).sort(order);
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return sorted.slice(q.offset, end).map((row) => row.doc);
}
