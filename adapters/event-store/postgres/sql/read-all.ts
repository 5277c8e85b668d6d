import type { Checkpoint } from '../../../../domain/events/index.ts';
import type { SqlStatement } from '../runner.ts';
import { EVENT_COLUMNS } from './event-row.ts';

/**
 * Delivery order is (transaction_id, global_position). Only transactions older than the oldest one still in flight
 * are read: a sequence value is taken at insert, not at commit, so a newer position can become visible before an
 * older one; waiting for xmin to pass means the older one is either committed (and read first) or gone.
 */
export function readAllStatement(after: Checkpoint, batchSize: number): SqlStatement {
  return {
    name: 'event_store_read_all',
    text: `SELECT ${EVENT_COLUMNS} FROM events
            WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY events.transaction_id, events.global_position
            LIMIT $3`,
    values: [after.commit.toString(), after.prepare.toString(), batchSize],
  };
}
