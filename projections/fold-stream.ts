import type { RecordedEvent } from '../domain/events/index.ts';
import type { Projector, ProjectionContext, ViewDoc } from './projector.ts';

/**
 * Applies events to documents held in memory, with the same projector the runner uses: the view of one stream
 * brought up to its newest event (read your writes) or cut at a past one (time travel), without the read store.
 * `seed` holds documents to start from, keyed `collection/id`; the result holds every document after the events.
 */
export function foldInMemory(projector: Projector, events: readonly RecordedEvent[], seed: ReadonlyMap<string, ViewDoc> = new Map()): Map<string, ViewDoc> {
  const docs = new Map(seed);
  const key = (collection: string, id: string) => `${collection}/${id}`;
  const context: ProjectionContext = {
    get: (collection, id) => docs.get(key(collection, id)),
    put: (collection, id, doc) => void docs.set(key(collection, id), doc),
    delete: (collection, id) => void docs.delete(key(collection, id)),
  };
  for (const event of events) projector.apply(event, context);
  return docs;
}
