import type { Checkpoint } from '../../../../domain/events/index.ts';
import type { StreamCursor } from '../../../../domain/ports/event-store.ts';
import type { SqlStatement } from '../runner.ts';
import { EVENT_COLUMNS } from './event-row.ts';

/**
 * Walks the (stream_id, stream_revision) unique index, so streams come in the index's own order (the column's
 * collation, whatever it is) and a keyset on the pair resumes exactly. starts_with() is a filter, not a range: a
 * prefix range is not contiguous under every collation. Events after `until` are left for readAll().
 */
export function readByStreamStatement(prefix: string, until: Checkpoint, after: StreamCursor | null, batchSize: number): SqlStatement {
  const cut = [until.commit.toString(), until.prepare.toString()];
  if (after === null) {
    return {
      name: 'event_store_read_by_stream_first',
      text: `SELECT ${EVENT_COLUMNS} FROM events
              WHERE starts_with(stream_id, $1)
                AND global_position <= event_store_position_after($2::bigint, $3::bigint)
              ORDER BY events.stream_id, events.stream_revision
              LIMIT $4`,
      values: [prefix, ...cut, batchSize],
    };
  }
  return {
    name: 'event_store_read_by_stream_next',
    text: `SELECT ${EVENT_COLUMNS} FROM events
            WHERE (stream_id, stream_revision) > ($5, $6::bigint)
              AND starts_with(stream_id, $1)
              AND global_position <= event_store_position_after($2::bigint, $3::bigint)
            ORDER BY events.stream_id, events.stream_revision
            LIMIT $4`,
    values: [prefix, ...cut, batchSize, after.stream, after.revision.toString()],
  };
}
