import type { SqlStatement } from '../runner.ts';

/**
 * Makes the first global position of an empty log `next` (no effect once the log holds events: positions are
 * contiguous). For tests that prove positions beyond 2^53 survive.
 */
export function restartPositionsStatement(next: bigint): SqlStatement {
  if (next < 1n) throw new RangeError('positions start at 1');
  // Inlined so the text runs alone (PGlite exec, pool.query(text)); the value is a bigint we formatted ourselves.
  return { text: `UPDATE event_store_log SET first_position = ${next.toString()} WHERE NOT EXISTS (SELECT 1 FROM events)`, values: [] };
}
