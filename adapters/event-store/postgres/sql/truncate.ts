import type { SqlStatement } from '../runner.ts';

/** Empties the store and restarts positions at 1: for test suites that share one database between tests. */
export function truncateStatement(): SqlStatement {
  return { text: 'TRUNCATE events RESTART IDENTITY', values: [] };
}
