/** The EventStoreDB event store (gRPC): loaded by the composition root only when EVENTSTORE_URL selects it. */
export { createEventStoreDBEventStore, EventStoreUnreachableError } from './create-eventstoredb-event-store.ts';
export type { EventStoreDBEventStoreOptions } from './create-eventstoredb-event-store.ts';
