import type { SqlStatement } from '../runner.ts';

/** Session-level, so it holds across the migration transactions; released by `unlock` or when the session ends. */
export function advisoryLockStatement(key: bigint, unlock = false): SqlStatement {
  return { text: `SELECT ${unlock ? 'pg_advisory_unlock' : 'pg_advisory_lock'}($1::bigint)`, values: [key.toString()] };
}
