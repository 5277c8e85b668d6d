import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { AUDIT_TRAIL, createAuditTrailProjector, createProjectionRunner, physicalCollection, verifyChain } from '../../projections/index.ts';
import { readAllEvents } from '../support/read-all.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';
import { collectingLogger } from '../unit/projection-runner-fixtures.ts';

describe('a projection rebuild across a PostgreSQL restart (throwaway cluster)', function () {
  this.timeout(180_000);
  let cluster: ThrowawayCluster;
  let eventStore: EventStore;
  let readStore: ReadStore;
  before(async () => {
    cluster = await startThrowawayCluster();
    eventStore = await createPostgresEventStore({ connectionString: cluster.url(), poolSize: 4 });
    readStore = createPostgresReadStore({ connectionString: cluster.url(), maxConnections: 4 });
  });
  after(async () => {
    await eventStore?.close();
    await readStore?.close();
    await cluster?.destroy();
  });

  it('given PostgreSQL restarted while the audit trail rebuilds, then the rebuild resumes from its stored checkpoint and its chain follows the log', async () => {
    const metadata = (n: number) => ({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: `c${n}`, causationId: null, commandId: `c${n}`, actor: { kind: 'system' as const, id: 'test' } });
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let i = 0; i < 750; i++) await eventStore.append(`note-${writer}-${i % 5}`, [{ type: 'Noted', data: { i }, metadata: metadata(i) }], { expectedRevision: 'any' });
      }),
    );
    const log = await readAllEvents(eventStore);
    const runner = createProjectionRunner({
      eventStore,
      readStore,
      projectors: [createAuditTrailProjector({ services: { get: () => undefined } })],
      logger: collectingLogger(),
      rebuildBatchSize: 50,
      retryDelayMs: 100,
      maxRetryDelayMs: 1000,
      rebuildAttempts: 100,
    });
    await runner.start();
    try {
      let restarted: Promise<void> | undefined;
      const rebuilt = await runner.rebuild('audit-trail', (progress) => {
        // Once, a few batches in: the batch in flight and the read of its stored checkpoint both meet a dead server.
        if (!restarted && progress.eventsProcessed >= 200) restarted = cluster.restart('immediate');
      });
      await restarted;
      expect(restarted, 'the restart should land during the rebuild').to.not.equal(undefined);
      expect(rebuilt.eventsProcessed).to.be.at.least(log.length);
      const { items } = await readStore.find(physicalCollection(AUDIT_TRAIL, rebuilt.version), { orderBy: [{ field: 'seq', direction: 'asc' }], limit: log.length + 10 });
      expect(verifyChain(items).ok).to.equal(true);
      expect(items.map((entry) => entry.id)).to.deep.equal(log.map((event) => event.metadata.eventId));
    } finally {
      await runner.stop();
    }
  });
});
