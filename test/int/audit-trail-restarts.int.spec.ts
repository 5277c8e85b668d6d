/**
 * The audit trail's hash chain depends on delivery order, so it is the projection most sensitive to a batch applied
 * twice, out of order, or against a stale chain head. This suite holds the live trail to its own rebuild while
 * PostgreSQL is restarted under concurrent appends (failed commits, batches redelivered from the stored checkpoint).
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { isDependencyUnavailable } from '../../adapters/dependency-unavailable.ts';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { AUDIT_TRAIL, AUDIT_TRAIL_VERSION, createAuditTrailProjector, createProjectionRunner, physicalCollection, verifyChain } from '../../projections/index.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';
import { collectingLogger } from '../unit/projection-runner-fixtures.ts';

describe('the live audit trail across PostgreSQL restarts equals its rebuild (throwaway cluster)', function () {
  this.timeout(240_000);
  let cluster: ThrowawayCluster;
  let eventStore: EventStore;
  let readStore: ReadStore;
  before(async () => {
    cluster = await startThrowawayCluster();
    eventStore = await createPostgresEventStore({ connectionString: cluster.url(), poolSize: 6 });
    readStore = createPostgresReadStore({ connectionString: cluster.url(), maxConnections: 4 });
  });
  after(async () => {
    await eventStore?.close();
    await readStore?.close();
    await cluster?.destroy();
  });

  it('given appends from four writers while PostgreSQL restarts (immediate) three times, then the live chain is intact and entry for entry the rebuilt one', async () => {
    const runner = createProjectionRunner({
      eventStore,
      readStore,
      projectors: [createAuditTrailProjector({ services: { get: () => undefined } })],
      logger: collectingLogger(),
      batchSize: 50,
      rebuildBatchSize: 50,
      idleMs: 20,
      retryDelayMs: 100,
      maxRetryDelayMs: 1000,
      rebuildAttempts: 100,
    });
    await runner.start();
    let stop = false;
    let appended = 0;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      while (!stop) {
        const id = randomUUID();
        const metadata = { eventId: id, schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: id, causationId: null, commandId: id, actor: { kind: 'system' as const, id: 'test' } };
        try {
          // A retry after an unknown outcome resends the same event id, as a command retried by its id does.
          for (;;) {
            try {
              await eventStore.append(`note-${writer}-${appended % 5}`, [{ type: 'Noted', data: { n: appended }, metadata }], { expectedRevision: 'any' });
              break;
            } catch (error) {
              if (!isDependencyUnavailable(error) || stop) throw error;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
          appended += 1;
        } catch (error) {
          if (!stop) throw error;
        }
      }
    });
    try {
      for (let round = 0; round < 3; round++) {
        const before = appended;
        while (appended < before + 300) await new Promise((r) => setTimeout(r, 50));
        await cluster.restart('immediate');
      }
      const target = appended + 200;
      while (appended < target) await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop = true;
      await Promise.allSettled(writers);
    }
    const head = formatCheckpoint((await eventStore.head!())!);
    for (let i = 0; i < 600; i++) {
      const [status] = await runner.status();
      if (status!.checkpoint === head) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await runner.status())[0]!.checkpoint).to.equal(head);
    const order = { orderBy: [{ field: 'seq', direction: 'asc' as const }], limit: 100_000 };
    const live = (await readStore.find(physicalCollection(AUDIT_TRAIL, AUDIT_TRAIL_VERSION), order)).items;
    expect(verifyChain(live).ok, 'the live chain').to.equal(true);
    const rebuilt = await runner.rebuild('audit-trail');
    const fresh = (await readStore.find(physicalCollection(AUDIT_TRAIL, rebuilt.version), order)).items;
    await runner.stop();
    expect(live.length).to.be.greaterThan(1000);
    expect(live.map((e) => `${String(e.seq)}:${String(e.id)}:${String(e.hash)}`)).to.deep.equal(fresh.map((e) => `${String(e.seq)}:${String(e.id)}:${String(e.hash)}`));
  });
});
