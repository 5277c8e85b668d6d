import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriver, SqlRunner, SqlStatement } from '../postgres/runner.ts';

/**
 * PGlite has one connection. Every call goes through one promise chain so that a multi-statement session
 * (migrations) is never interleaved with another caller's statements.
 */
export function pgliteDriver(pglite: PGlite): SqlDriver {
  let tail: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const direct: SqlRunner = {
    async query<Row>(statement: SqlStatement) {
      if (statement.values.length === 0) {
        // exec runs several statements (migrations); the last result is the one a caller asked for.
        const results = await pglite.exec(statement.text);
        return (results[results.length - 1]?.rows ?? []) as Row[];
      }
      return (await pglite.query<Row>(statement.text, statement.values)).rows;
    },
  };
  return {
    query: (statement) => serialize(() => direct.query(statement)),
    concurrent: false,
    withSession: (work) => serialize(() => work(direct)),
    // The caller owns the PGlite instance (it is expensive to start and often shared).
    async end() {},
  };
}
