import type { EventData, EventMetadata, RecordedEvent } from '../../../domain/events/index.ts';
import type { EventRow } from './sql/event-row.ts';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const position = BigInt(row.global_position);
  return {
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position,
    checkpoint: { commit: BigInt(row.epoch), prepare: position, link: row.link },
    type: row.type,
    data: row.data as EventData,
    metadata: row.metadata as EventMetadata,
    hash: row.link,
  };
}
