import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { START, type NewEvent, type RecordedEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { createTestDatabase } from '../support/postgres.ts';

/**
 * A caught-up subscription sleeps between polls; an append made in the same process wakes it at once. The
 * subscriptions below poll every ten minutes, so they see the appends after the first within the test's time only if
 * the appends woke them.
 */
const event = (): NewEvent => ({
  type: 'Noted',
  data: { n: 1 },
  metadata: { eventId: randomUUID(), schemaVersion: 1, occurredAt: '2026-03-02T08:00:00Z', correlationId: 'c', causationId: null, commandId: randomUUID(), actor: { kind: 'clerk', id: 'u1' } },
});

/** A subscription polling every ten minutes, and a way to wait for its next delivery. */
function watch(store: EventStore) {
  const waiting: Array<(batch: RecordedEvent[]) => void> = [];
  const delivered: RecordedEvent[][] = [];
  const subscription = store.subscribe(START, async (batch) => {
    const next = waiting.shift();
    if (next) next(batch);
    else delivered.push(batch);
  }, { idleMs: 600_000 });
  const next = () => (delivered.length > 0 ? Promise.resolve(delivered.shift()!) : new Promise<RecordedEvent[]>((resolve) => waiting.push(resolve)));
  return { next, subscription };
}

describe('subscriptions are woken by appends made in the same process', function () {
  this.timeout(60_000);

  it('given a caught-up subscription on PGlite polling every ten minutes, when an append is made (through another store on the same database too), then it is delivered at once', async () => {
    const pglite = new PGlite();
    try {
      const store = await createPGliteEventStore({ pglite });
      const other = await createPGliteEventStore({ pglite, migrate: false });
      const { next, subscription } = watch(store);
      // The first append is read by the first poll; after it the subscription is caught up and sleeps.
      await store.append(`s-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      expect(await next()).to.have.length(1);
      await store.append(`s-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      expect(await next()).to.have.length(1);
      await other.append(`s-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      expect(await next()).to.have.length(1);
      await subscription.stop();
      await store.close();
      await other.close();
    } finally {
      await pglite.close();
    }
  });

  it('given a caught-up subscription on PostgreSQL polling every ten minutes, when this process appends, then it is delivered at once', async () => {
    const database = await createTestDatabase('wake');
    const store = await createPostgresEventStore({ connectionString: database.url });
    try {
      const { next, subscription } = watch(store);
      await store.append(`s-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      expect(await next()).to.have.length(1);
      await store.append(`s-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      expect(await next()).to.have.length(1);
      await subscription.stop();
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
