import type { NewEvent } from '../../../../domain/events/index.ts';
import type { SqlStatement } from '../runner.ts';

export interface StoredEventsRow {
  stream_id: string;
  stored: number;
  last_revision: string;
  last_position: string;
}

/** Where (if anywhere) the given event ids are stored, per stream: how an append recognises its own retry. */
export function findStoredEventsStatement(events: readonly NewEvent[]): SqlStatement {
  return {
    name: 'event_store_find_stored_events',
    text: `SELECT stream_id, count(*)::int AS stored, max(stream_revision)::text AS last_revision,
                  max(global_position)::text AS last_position
             FROM events
            WHERE event_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::uuid)
            GROUP BY stream_id`,
    values: [JSON.stringify(events.map((event) => event.metadata.eventId))],
  };
}
