import { ANY, NO_STREAM, START, STREAM_EXISTS, jsonEvent } from '@eventstore/db-client';
import type { AppendExpectedRevision, EventData, JSONType, Position, ReadPosition, ResolvedEvent } from '@eventstore/db-client';
import { compareCheckpoints } from '../../../domain/events/index.ts';
import type { Checkpoint, EventData as DomainData, EventMetadata, NewEvent, RecordedEvent } from '../../../domain/events/index.ts';
import type { ExpectedRevision } from '../../../domain/ports/event-store.ts';

export function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/** The event id doubles as EventStoreDB's own id, which is what makes its idempotent writes work for retries. */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.metadata.eventId,
    type: event.type,
    data: event.data as JSONType,
    metadata: event.metadata as unknown as JSONType,
  });
}

export function toReadPosition(after: Checkpoint): ReadPosition {
  return after.commit === 0n && after.prepare === 0n ? START : { commit: after.commit, prepare: after.prepare };
}

/** Ours: user events with JSON bodies. System streams and types ($...) and binary events are not part of the log. */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || event.streamId.startsWith('$') || event.type.startsWith('$')) return undefined;
  const position: Position = event.position ?? {
    commit: resolved.commitPosition ?? 0n,
    prepare: resolved.commitPosition ?? 0n,
  };
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: position.prepare,
    checkpoint: { commit: position.commit, prepare: position.prepare },
    type: event.type,
    data: event.data as DomainData,
    metadata: event.metadata as unknown as EventMetadata,
  };
}

export function isAfter(event: RecordedEvent, after: Checkpoint): boolean {
  return compareCheckpoints(event.checkpoint, after) > 0;
}
