import type { Checkpoint } from '../../../../domain/events/index.ts';
import type { SqlStatement } from '../runner.ts';
import { EVENT_COLUMNS } from './event-row.ts';

/**
 * Delivery order is position order. Appends number their events under one lock held to commit (migration 003), so
 * positions become visible in order and whatever a reader sees is a gap-free prefix: no snapshot or xid test, and
 * an open transaction elsewhere delays nothing. The checkpoint goes through event_store_position_after, which also
 * maps checkpoints stored before migration 003 onto the new positions and, given the checkpoint's link, refuses one
 * whose event is no longer where it was (migration 006).
 */
export function readAllStatement(after: Checkpoint, batchSize: number): SqlStatement {
  return {
    name: 'event_store_read_all_from_link',
    text: `SELECT ${EVENT_COLUMNS} FROM events
            WHERE global_position > event_store_position_after($1::bigint, $2::bigint, $4::text)
            ORDER BY events.global_position
            LIMIT $3`,
    values: [after.commit.toString(), after.prepare.toString(), batchSize, after.link ?? null],
  };
}
