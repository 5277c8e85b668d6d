import type { SqlStatement } from '../runner.ts';

/**
 * Makes the next global position `next`. For tests that prove positions beyond 2^53 survive, and for operators
 * moving a log while keeping positions above the old ones. Only safe while nobody appends.
 */
export function restartPositionsStatement(next: bigint): SqlStatement {
  if (next < 1n) throw new RangeError('positions start at 1');
  // ALTER ... RESTART takes no parameters; the value is a bigint we formatted ourselves, so it is safe to inline.
  return { text: `ALTER TABLE events ALTER COLUMN global_position RESTART WITH ${next.toString()}`, values: [] };
}
