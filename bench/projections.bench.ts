import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { createPGliteEventStore } from '../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { createPGliteReadStore } from '../adapters/read-store/pglite/index.ts';
import { createPostgresReadStore } from '../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { START, type Checkpoint, type NewEvent } from '../domain/events/index.ts';
import { createProjectionRunner, type Projector } from '../projections/index.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { machineLine } from './support/machine.ts';
import { measurement, type Measurement, type TimedRun } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * Projection rebuild throughput: a case-view-shaped projector (one document per case, a growing timeline, five
 * events per case) rebuilt from the start of the log, against reading the same log with nothing projected.
 * Latency columns are per batch. BENCH_PROJECTION_EVENTS sets the log size on PostgreSQL (default 100,000).
 */
const PG_EVENTS = Number(process.env.BENCH_PROJECTION_EVENTS ?? 100_000);
const PGLITE_EVENTS = Math.min(PG_EVENTS, 20_000);
const EVENTS_PER_CASE = 5;
const TYPES = ['ApplicationDrafted', 'ApplicationSubmitted', 'ApplicationAccepted', 'MaterialProvided', 'DecisionIssued'];

function caseEvents(caseId: string): NewEvent[] {
  return TYPES.map((type, step) => {
    const eventId = randomUUID();
    return {
      type,
      data: { caseId, serviceId: 'business-licence', step, ...(step === 0 ? { form: { name: '张三', address: '北京市朝阳区', capital: 500_000 } } : {}) },
      metadata: {
        eventId,
        schemaVersion: 1,
        occurredAt: new Date(Date.UTC(2026, 2, 2, 9, step)).toISOString(),
        correlationId: caseId,
        causationId: null,
        actor: { kind: 'clerk', id: 'clerk-7', department: 'market-supervision' },
        commandId: eventId,
      },
    };
  });
}

const caseLike: Projector = {
  name: 'bench-case',
  version: 1,
  collections: ['cases'],
  keys: (event) => [{ collection: 'cases', id: (event.data as { caseId: string }).caseId }],
  apply(event, context) {
    const { caseId, form } = event.data as { caseId: string; form?: Record<string, unknown> };
    const doc = context.get('cases', caseId) ?? { caseId, status: 'draft', form: form ?? {}, timeline: [] as unknown[] };
    const timeline = doc.timeline as Array<Record<string, unknown>>;
    if (timeline.some((entry) => entry.eventId === event.metadata.eventId)) return;
    timeline.push({ eventId: event.metadata.eventId, type: event.type, at: event.metadata.occurredAt, actor: event.metadata.actor.id });
    context.put('cases', caseId, { ...doc, status: event.type, updatedAt: event.metadata.occurredAt });
  },
};

async function seed(store: EventStore, events: number): Promise<void> {
  const cases = Math.ceil(events / EVENTS_PER_CASE);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < cases) {
        const caseId = `CASE-${next++}`;
        await store.append(`case-${caseId}`, caseEvents(caseId), { expectedRevision: 'no_stream' });
      }
    }),
  );
}

async function readOnly(store: EventStore): Promise<TimedRun> {
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  let ops = 0;
  for (let after: Checkpoint = START; ; ) {
    const t0 = process.hrtime.bigint();
    const batch = await store.readAll(after, 1000);
    if (batch.length === 0) break;
    latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    ops += batch.length;
    after = batch[batch.length - 1]!.checkpoint;
  }
  return { ops, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}

async function rebuild(eventStore: EventStore, readStore: ReadStore, batchSize: number): Promise<TimedRun> {
  const runner = createProjectionRunner({ eventStore, readStore, projectors: [caseLike], rebuildBatchSize: batchSize, dropDelayMs: 0 });
  const latenciesMs: number[] = [];
  let last = process.hrtime.bigint();
  const started = last;
  const result = await runner.rebuild('bench-case', (p) => {
    if (p.phase !== 'catching-up') return;
    const now = process.hrtime.bigint();
    latenciesMs.push(Number(now - last) / 1e6);
    last = now;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await runner.stop();
  return { ops: result.eventsProcessed, seconds, latenciesMs };
}

async function measureTarget(name: string, eventStore: EventStore, readStore: ReadStore, events: number): Promise<Measurement[]> {
  console.log(`seeding ${events.toLocaleString('en-US')} events into ${name} ...`);
  await seed(eventStore, events);
  const unit = 'events/s';
  const read = measurement('read log only, batches of 1000', await readOnly(eventStore), { unit });
  const rows = [read];
  for (const batch of [500, 1000, 2000]) {
    rows.push(measurement(`rebuild, batches of ${batch}`, await rebuild(eventStore, readStore, batch), { unit, baseline: read.label }));
  }
  return rows;
}

export async function run(): Promise<void> {
  console.log(machineLine());
  const database = await createTestDatabase('bench_projections');
  try {
    const eventStore = await createPostgresEventStore({ connectionString: database.url, poolSize: 8 });
    const readStore = createPostgresReadStore({ connectionString: database.url, maxConnections: 8 });
    try {
      console.log(markdownTable(`PostgreSQL, ${PG_EVENTS.toLocaleString('en-US')} events`, await measureTarget('PostgreSQL', eventStore, readStore, PG_EVENTS)));
    } finally {
      await eventStore.close();
      await readStore.close();
    }
  } finally {
    await database.drop();
  }

  const pglite = new PGlite();
  try {
    const eventStore = await createPGliteEventStore({ pglite });
    const readStore = createPGliteReadStore({ pglite });
    console.log(markdownTable(`PGlite (in memory), ${PGLITE_EVENTS.toLocaleString('en-US')} events`, await measureTarget('PGlite', eventStore, readStore, PGLITE_EVENTS)));
    await eventStore.close();
  } finally {
    await pglite.close();
  }
}
