import type { RecordedEvent } from '../domain/events/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { CatalogueRepository } from './catalogue-repository.ts';

/**
 * The event store as a worker's readers of the log see it (projections, the case-jobs reactor, the notification
 * outbox): events naming a service version this process does not hold yet are handed over only once the catalogue
 * store was read again. A case drafted through an API process right after a publication there names a version this
 * process learns at its next refresh (up to 2 s later); folded before that, the case view and the work queue got no
 * department (no clerk saw the case), the audit trail none, the reactor took the case for closed and scheduled none of
 * its deadlines or evidence, and the outbox skipped its notifications.
 */
export function followingCatalogue(store: EventStore, catalogue: Pick<CatalogueRepository, 'ensureService'>): EventStore {
  const known = async <E extends RecordedEvent>(events: E[]): Promise<E[]> => {
    for (const event of events) {
      if (event.type !== 'ApplicationDrafted') continue;
      const { serviceId, serviceVersion } = event.data;
      if (typeof serviceId === 'string' && typeof serviceVersion === 'number') await catalogue.ensureService(serviceId, serviceVersion);
    }
    return events;
  };
  const following: EventStore = {
    ...store,
    readStream: async (stream, options) => known(await store.readStream(stream, options)),
    readAll: async (after, batchSize) => known(await store.readAll(after, batchSize)),
    subscribe: (after, handler, options) => store.subscribe(after, async (batch) => handler(await known(batch)), options),
  };
  if (store.readByStream) following.readByStream = async (query) => known(await store.readByStream!(query));
  return following;
}
