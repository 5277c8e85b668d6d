/** The embedded event store (PGlite): loaded by the composition root only for the embedded default. */
export { createPGliteEventStore } from './create-pglite-event-store.ts';
export type { PGliteEventStoreOptions } from './create-pglite-event-store.ts';
