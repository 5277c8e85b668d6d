import type { SqlStatement } from '../runner.ts';

/**
 * Empties the store and restarts positions at 1: for test suites that share one database between tests. The log
 * refuses TRUNCATE to everyone else (migration 004), so this switches the guard off around it, which needs the
 * table's owner: exactly what an attacker with that role could do too, and why signed heads exist.
 */
export function truncateStatement(): SqlStatement {
  return {
    text: `ALTER TABLE events DISABLE TRIGGER USER;
           ALTER TABLE event_store_heads DISABLE TRIGGER USER;
           TRUNCATE events, event_store_legacy_checkpoints, event_store_heads;
           ALTER TABLE events ENABLE TRIGGER USER;
           ALTER TABLE event_store_heads ENABLE TRIGGER USER;
           UPDATE event_store_log SET first_position = 1`,
    values: [],
  };
}
