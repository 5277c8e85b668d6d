import type mongoose from 'mongoose';

/** Multi-document transactions need a replica set or mongos; FerretDB 1.x and a standalone MongoDB have none. */
export async function supportsTransactions(connection: mongoose.Connection): Promise<boolean> {
  const db = connection.db;
  if (!db) throw new Error('mongoose connection has no database');
  const hello = await db.admin().command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

/**
 * A server that parses aggregation expressions lazily (FerretDB parses them per document, so no probe over an empty
 * collection can tell) says so the first time a sort needs `$cond`; the store then orders in process from then on.
 */
export function lacksConditionalExpressions(error: unknown): boolean {
  return error instanceof Error && /\$cond is not implemented|unrecognized expression '\$cond'/i.test(error.message);
}

/**
 * FerretDB 1.x hands only plain equality filters to PostgreSQL; any other filter, `$in` on `_id` included, reads the
 * whole collection and filters it in FerretDB. Its `buildInfo` names it.
 */
export async function isFerretDB(connection: mongoose.Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}
