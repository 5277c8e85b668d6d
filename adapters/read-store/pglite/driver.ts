import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlDriver, SqlSession } from '../sql/driver.ts';

function sessionOf(db: PGlite | Transaction): SqlSession {
  return {
    async query<R>(text: string, params?: unknown[]) {
      const result = await db.query<R>(text, params);
      return result.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

/**
 * PGlite is one connection: its own mutex already queues every query behind any open transaction, so work is
 * serialized without a pool. The instance belongs to the caller and is never closed here.
 */
export function pgliteDriver(pglite: PGlite): SqlDriver {
  const base = sessionOf(pglite);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (work) => pglite.transaction((tx) => work(sessionOf(tx))),
    async close() {},
  };
}
