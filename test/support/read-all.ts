import type { EventStore } from '../../domain/ports/event-store.ts';
import { START, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';

/** The whole log as a subscriber would see it now, read in pages of 1,000. */
export async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let after: Checkpoint = START; ; ) {
    const batch = await store.readAll(after, 1000);
    if (batch.length === 0) return all;
    all.push(...batch);
    after = batch[batch.length - 1]!.checkpoint;
  }
}
