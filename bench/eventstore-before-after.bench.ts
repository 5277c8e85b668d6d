import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../adapters/event-store/index.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { interleave, measurement } from './support/measure.ts';
import type { NewEvent } from '../domain/events/index.ts';

/**
 * Issue #12's cost: appends on this checkout (commit-ordered positions under the log lock, hash links) against a
 * checkout from before it, interleaved in the same run on the same server, each on its own fresh database. Name the
 * other checkout (a git worktree at the commit before the change, with node_modules) in EVENTSTORE_BEFORE:
 *
 *   EVENTSTORE_BEFORE=/path/to/old/checkout npm run bench -- eventstore-before-after
 *
 * Columns: before, after with the default of one append statement at a time, after with two (the old default).
 */

function event(index = 0): NewEvent {
  const eventId = randomUUID();
  return {
    type: 'ApplicationSubmitted',
    data: { applicationId: `APP-${index}`, applicant: '张三', service: 'business-licence', fee: 0, documents: ['id-card', 'lease'] },
    metadata: { eventId, schemaVersion: 1, occurredAt: new Date(0).toISOString(), correlationId: eventId, causationId: null, actor: { kind: 'citizen', id: '110101199003071234' }, commandId: eventId },
  };
}
function appender(store: EventStore, writers: number, eventsPerAppend: number) {
  const prefix = randomUUID().slice(0, 8);
  const revisions = new Array<bigint>(writers).fill(-1n);
  return {
    clients: writers,
    async op(writer: number, iteration: number) {
      const events = Array.from({ length: eventsPerAppend }, (_, i) => event(iteration * eventsPerAppend + i));
      const expected = revisions[writer]! < 0n ? 'no_stream' : revisions[writer]!;
      revisions[writer] = (await store.append(`bench-${prefix}-${writer}`, events, { expectedRevision: expected })).nextRevision;
    },
  };
}
export async function run(): Promise<void> {
  const before = process.env.EVENTSTORE_BEFORE;
  if (!before) {
    console.log('  [skipped] set EVENTSTORE_BEFORE to a checkout from before issue #12 to compare against');
    return;
  }
  const { createPostgresEventStore: createOld } = (await import(pathToFileURL(path.join(before, 'adapters/event-store/index.ts')).href)) as {
    createPostgresEventStore: typeof createPostgresEventStore;
  };
  const dbs = await Promise.all(['before', 'after1', 'after2'].map((l) => createTestDatabase(`bench12_${l}`)));
  const pools = dbs.map((d) => new pg.Pool({ connectionString: d.url, max: 8, idleTimeoutMillis: 0 }));
  const stores = [await createOld({ pool: pools[0]! }), await createPostgresEventStore({ pool: pools[1]!, appendConcurrency: 1 }), await createPostgresEventStore({ pool: pools[2]!, appendConcurrency: 2 })];
  const SL = 16;
  const MS = Number(process.env.BENCH_SLICE_MS ?? 400);
  for (const [label, writers, per] of [['1 event, 1 writer', 1, 1], ['1 event, 8 writers', 8, 1], ['10 events, 8 writers', 8, 10]] as const) {
    const runs = await interleave(stores.map((s) => appender(s, writers, per)), SL, MS);
    const [o, n1, n2] = runs.map((r, i) => measurement(`${i}`, r, { itemsPerOp: per }));
    console.log(`${label}: before ${Math.round(o!.perSecond)}/s | after (1 at once) ${Math.round(n1!.perSecond)}/s ${(n1!.perSecond / o!.perSecond).toFixed(2)}x | after (2 at once) ${Math.round(n2!.perSecond)}/s ${(n2!.perSecond / o!.perSecond).toFixed(2)}x | p50 ms ${o!.p50Ms.toFixed(1)} / ${n1!.p50Ms.toFixed(1)} / ${n2!.p50Ms.toFixed(1)}`);
  }
  for (const s of stores) await s.close();
  for (const p of pools) await p.end();
  for (const d of dbs) await d.drop();
}
