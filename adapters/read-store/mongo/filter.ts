import type { Condition, Ordering } from '../query.ts';

type MongoDocument = Record<string, unknown>;

const field = (path: string[]) => `d.${path.join('.')}`;
const MONGO_OP = { lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' } as const;

/**
 * Query operators whose meaning equals the SQL adapters' (type bracketing already restricts ranges to the bound's
 * type, and `null` already matches a missing field). A substring `contains` is a regex on a string field, with the
 * array case excluded explicitly because a regex on an array matches any element: the same filter on MongoDB and
 * FerretDB, which has no `$expr` conditionals.
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
      const substring = { $and: [{ [f]: { $type: 'string' } }, { [f]: { $not: { $type: 'array' } } }, { [f]: { $regex: escapeRegex(c.value) } }] };
      return { $or: [element, substring] };
    }
  }
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
