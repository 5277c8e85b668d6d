/**
 * The audit-trail divergence seen in the fault run (live trail != its rebuild from one point on, after a worker
 * crash) is what two runners of one projection produce: both read the same chain head and the older one's write can
 * land last, forking the chain. A runner that still believes it leads after another took over must be unable to
 * write. This drives exactly that: a deposed runner keeps running while the new holder takes over under load.
 * Without fencing (the code before leases) the two interleave and the chain forks within a few hundred events.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { AUDIT_TRAIL, AUDIT_TRAIL_VERSION, createAuditTrailProjector, createProjectionRunner, physicalCollection, verifyChain, type ProjectionRunner } from '../../projections/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { collectingLogger } from '../unit/projection-runner-fixtures.ts';

describe('two runners of the audit trail: a deposed leader cannot fork the chain', function () {
  this.timeout(240_000);
  let db: TestDatabase;
  let eventStore: EventStore;
  const readStores: ReadStore[] = [];
  const runners: ProjectionRunner[] = [];

  const runner = () => {
    const readStore = createPostgresReadStore({ connectionString: db.url, maxConnections: 4 });
    readStores.push(readStore);
    const created = createProjectionRunner({
      eventStore,
      readStore,
      projectors: [createAuditTrailProjector({ services: { get: () => undefined } })],
      logger: collectingLogger(),
      batchSize: 20,
      rebuildBatchSize: 50,
      idleMs: 5,
      retryDelayMs: 50,
      maxRetryDelayMs: 200,
    });
    runners.push(created);
    return created;
  };

  before(async () => {
    db = await createTestDatabase('two-runners');
    eventStore = await createPostgresEventStore({ connectionString: db.url, poolSize: 6 });
  });
  after(async () => {
    for (const r of runners) await r.stop().catch(() => undefined);
    for (const r of readStores) await r.close();
    await eventStore?.close();
    await db?.drop();
  });

  it('given the old leader still running when a new one takes the lease under concurrent appends, then the live chain is intact and equals its rebuild', async () => {
    const old = runner();
    const next = runner();
    await old.acquire('audit-trail', 1);
    let stop = false;
    let appended = 0;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      while (!stop) {
        const id = randomUUID();
        const metadata = { eventId: id, schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: id, causationId: null, commandId: id, actor: { kind: 'system' as const, id: 'test' } };
        await eventStore.append(`note-${writer}-${appended % 7}`, [{ type: 'Noted', data: { n: appended } }].map((e) => ({ ...e, metadata })), { expectedRevision: 'any' });
        appended += 1;
      }
    });
    try {
      while (appended < 300) await new Promise((r) => setTimeout(r, 20));
      // The takeover: a newer token, while the old leader has not noticed it lost anything and keeps applying.
      await next.acquire('audit-trail', 2);
      const target = appended + 600;
      while (appended < target) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop = true;
      await Promise.allSettled(writers);
    }
    const head = formatCheckpoint((await eventStore.head!())!);
    for (let i = 0; i < 1200; i++) {
      const status = (await next.status())[0]!;
      if (status.checkpoint === head) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await next.status())[0]!.checkpoint).to.equal(head);
    await old.stop();
    const order = { orderBy: [{ field: 'seq', direction: 'asc' as const }], limit: 100_000 };
    const live = (await readStores[1]!.find(physicalCollection(AUDIT_TRAIL, AUDIT_TRAIL_VERSION), order)).items;
    expect(live.length).to.be.greaterThan(800);
    expect(verifyChain(live).ok, 'the live chain').to.equal(true);
    const rebuilt = await next.rebuild('audit-trail');
    const fresh = (await readStores[1]!.find(physicalCollection(AUDIT_TRAIL, rebuilt.version), order)).items;
    expect(live.map((e) => `${String(e.seq)}:${String(e.id)}:${String(e.hash)}`)).to.deep.equal(fresh.map((e) => `${String(e.seq)}:${String(e.id)}:${String(e.hash)}`));
  });
});
