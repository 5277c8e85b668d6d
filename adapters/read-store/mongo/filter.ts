import type { Condition, Ordering } from '../query.ts';

type MongoDocument = Record<string, unknown>;

const field = (path: string[]) => `d.${path.join('.')}`;
const MONGO_OP = { lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' } as const;

/**
 * Query operators where their meaning equals the SQL adapters' (MongoDB's type bracketing already restricts ranges to
 * the bound's type, and `null` already matches a missing field); `$expr` where it does not (substring `contains`).
 */
export function toMongoCondition(c: Condition): MongoDocument {
  const f = field(c.path);
  switch (c.kind) {
    case 'eq':
      return { [f]: { $eq: c.value } };
    case 'in':
      return { [f]: { $in: c.values } };
    case 'range':
      return { [f]: { [MONGO_OP[c.op]]: c.value } };
    case 'contains': {
      const element = { [f]: { $elemMatch: { $eq: c.value } } };
      if (typeof c.value !== 'string') return element;
      // $cond rather than $and: $indexOfCP throws on a non-string, so the type test must guard it.
      const substring = {
        $expr: { $cond: [{ $eq: [{ $type: `$${f}` }, 'string'] }, { $gte: [{ $indexOfCP: [`$${f}`, c.value] }, 0] }, false] },
      };
      return { $or: [element, substring] };
    }
  }
}

export function toMongoFilter(collection: string, conditions: Condition[]): MongoDocument {
  const filter: MongoDocument = { c: collection };
  if (conditions.length > 0) filter.$and = conditions.map(toMongoCondition);
  return filter;
}

/**
 * MongoDB sorts missing and null first ascending; a computed flag per key puts them last in both directions, as the
 * SQL adapters do. Its native type order (numbers, strings, objects, arrays, booleans) is the one they imitate.
 */
export function sortStages(orderBy: Ordering[]): MongoDocument[] {
  const flags: MongoDocument = {};
  const sort: MongoDocument = {};
  orderBy.forEach(({ path, direction }, n) => {
    flags[`_missing${n}`] = { $cond: [{ $in: [{ $type: `$${field(path)}` }, ['missing', 'null']] }, 1, 0] };
    sort[`_missing${n}`] = 1;
    sort[field(path)] = direction === 'asc' ? 1 : -1;
  });
  sort.i = 1;
  return orderBy.length > 0 ? [{ $addFields: flags }, { $sort: sort }] : [{ $sort: sort }];
}
