import type { SqlStatement } from '../runner.ts';
import { EVENT_COLUMNS } from './event-row.ts';

const MAX_BIGINT = '9223372036854775807';

/** Both directions use the (stream_id, stream_revision) unique index; a null limit means no limit. */
export function readStreamStatement(
  stream: string,
  direction: 'forwards' | 'backwards',
  fromRevision: bigint | undefined,
  maxCount: number | undefined,
): SqlStatement {
  if (direction === 'forwards') {
    return {
      name: 'event_store_read_stream_forwards',
      text: `SELECT ${EVENT_COLUMNS} FROM events
              WHERE stream_id = $1 AND stream_revision >= $2::bigint
              ORDER BY events.stream_revision LIMIT $3::bigint`,
      values: [stream, (fromRevision ?? 0n).toString(), maxCount ?? null],
    };
  }
  return {
    name: 'event_store_read_stream_backwards',
    text: `SELECT ${EVENT_COLUMNS} FROM events
            WHERE stream_id = $1 AND stream_revision <= $2::bigint
            ORDER BY events.stream_revision DESC LIMIT $3::bigint`,
    values: [stream, fromRevision?.toString() ?? MAX_BIGINT, maxCount ?? null],
  };
}
