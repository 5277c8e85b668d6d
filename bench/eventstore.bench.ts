import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { START } from '../domain/events/index.ts';
import type { Checkpoint, NewEvent } from '../domain/events/index.ts';
import { createPGliteEventStore } from '../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../adapters/event-store/index.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { machineLine } from './support/machine.ts';
import { accounted, interleave, measurement, runTimes } from './support/measure.ts';
import type { Measurement, ServerCpu, TimedRun } from './support/measure.ts';
import { postgresServerCpu } from './support/server-cpu.ts';
import { markdownTable } from './support/table.ts';

/**
 * Event store throughput against its own baseline: raw single-row INSERT commits into a plain table, with the same
 * client counts, on the same database, in the same run. Write cases and their baselines are interleaved in SLICES
 * slices of SLICE_MS each, so background load hits them alike; the whole bench stays under two minutes.
 */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 300);
const SLICES = 10;
const CATCH_UP_EVENTS = 100_000;
const RAW_1 = 'raw INSERT, 1 client';
const RAW_8 = 'raw INSERT, 8 clients';

interface Target {
  name: string;
  version: string;
  store: EventStore;
  serverCpu?: ServerCpu;
  rawInsert(payload: string): Promise<void>;
  close(): Promise<void>;
}

function event(index = 0): NewEvent {
  const eventId = randomUUID();
  return {
    type: 'ApplicationSubmitted',
    data: { applicationId: `APP-${index}`, applicant: '张三', service: 'business-licence', fee: 0, documents: ['id-card', 'lease'] },
    metadata: {
      eventId,
      schemaVersion: 1,
      occurredAt: new Date(0).toISOString(),
      correlationId: eventId,
      causationId: null,
      actor: { kind: 'citizen', id: '110101199003071234' },
      commandId: eventId,
    },
  };
}

const rawPayload = JSON.stringify(event());
const RAW_TABLE = 'CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)';
const RAW_INSERT = 'INSERT INTO bench_raw (payload) VALUES ($1::text::jsonb)';

async function postgresTarget(): Promise<Target> {
  const database = await createTestDatabase('bench_eventstore');
  // Idle connections stay open so the server CPU read from /proc covers the same backends before and after a slice.
  const pool = new pg.Pool({ connectionString: database.url, max: 8, idleTimeoutMillis: 0 });
  const store = await createPostgresEventStore({ pool });
  const raw = new pg.Pool({ connectionString: database.url, max: 9, idleTimeoutMillis: 0 });
  // Dropping the database at the end ends idle connections from the server side; that is expected, not a crash.
  for (const p of [pool, raw]) p.on('error', () => {});
  await raw.query(RAW_TABLE);
  const { rows } = await raw.query<{ server_version: string }>('SHOW server_version');
  return {
    name: 'PostgreSQL',
    version: `PostgreSQL ${rows[0]!.server_version}`,
    store,
    serverCpu: postgresServerCpu(raw),
    async rawInsert(payload) {
      await raw.query({ name: 'bench_raw_insert', text: RAW_INSERT, values: [payload] });
    },
    async close() {
      await store.close();
      await pool.end();
      await raw.end();
      await database.drop();
    },
  };
}

async function pgliteTarget(): Promise<Target> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const store = await createPGliteEventStore({ pglite });
  await pglite.exec(RAW_TABLE);
  const { rows } = await pglite.query<{ server_version: string }>('SHOW server_version');
  return {
    name: 'PGlite (in memory)',
    version: `PGlite 0.5 / PostgreSQL ${rows[0]!.server_version}`,
    store,
    async rawInsert(payload) {
      await pglite.query(RAW_INSERT, [payload]);
    },
    async close() {
      await store.close();
      await pglite.close();
    },
  };
}

/** Each writer owns a stream and appends at its exact revision, as a command handler would. */
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

async function readStreams(store: EventStore, serverCpu?: ServerCpu): Promise<TimedRun> {
  const stream = `bench-read-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < 5; i += 1) {
    await store.append(stream, Array.from({ length: 10 }, (_, j) => event(i * 10 + j)), { expectedRevision: 'any' });
  }
  return runTimes(
    1000,
    async () => {
      const events = await store.readStream(stream);
      if (events.length !== 50) throw new Error(`expected 50 events, read ${events.length}`);
    },
    serverCpu,
  );
}

async function seed(store: EventStore, total: number): Promise<void> {
  const writers = 4;
  const perAppend = 100;
  const rounds = Math.ceil(total / (writers * perAppend));
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const stream = `bench-seed-${randomUUID().slice(0, 8)}-${writer}`;
      for (let round = 0; round < rounds; round += 1) {
        const events = Array.from({ length: perAppend }, (_, i) => event(round * perAppend + i));
        await store.append(stream, events, { expectedRevision: round === 0 ? 'no_stream' : BigInt(round * perAppend - 1) });
      }
    }),
  );
}

/** readAll from the start in pages of 1000, as a projection rebuilding from scratch would. Latency is per page. */
async function catchUp(store: EventStore, serverCpu?: ServerCpu): Promise<TimedRun> {
  return accounted(serverCpu ?? (async () => undefined), async (latenciesMs) => {
    let checkpoint: Checkpoint = START;
    let events = 0;
    for (;;) {
      const t0 = process.hrtime.bigint();
      const page = await store.readAll(checkpoint, 1000);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (page.length === 0) return events;
      events += page.length;
      checkpoint = page[page.length - 1]!.checkpoint;
    }
  });
}

async function benchTarget(target: Target): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const note = (row: Measurement) => {
    rows.push(row);
    console.log(`  ${target.name}: ${row.label}: ${Math.round(row.perSecond)} ${row.unit}`);
  };
  const raw = (clients: number) => ({ clients, op: () => target.rawInsert(rawPayload) });
  const [raw1, append1] = await interleave([raw(1), appender(target.store, 1, 1)], SLICES, SLICE_MS, target.serverCpu);
  const [raw8, append8, append10] = await interleave(
    [raw(8), appender(target.store, 8, 1), appender(target.store, 8, 10)],
    SLICES,
    SLICE_MS,
    target.serverCpu,
  );
  note(measurement(RAW_1, raw1!, { unit: 'rows/s' }));
  note(measurement(RAW_8, raw8!, { unit: 'rows/s' }));
  note(measurement('append 1 event, 1 writer', append1!, { unit: 'appends/s', baseline: RAW_1 }));
  note(measurement('append 1 event, 8 writers', append8!, { unit: 'appends/s', baseline: RAW_8 }));
  note(measurement('append 10 events, 8 writers', append10!, { unit: 'events/s', itemsPerOp: 10, baseline: RAW_8 }));
  note(measurement('readStream, 50-event stream', await readStreams(target.store, target.serverCpu), { unit: 'reads/s' }));
  const seedStarted = Date.now();
  await seed(target.store, CATCH_UP_EVENTS);
  console.log(`  ${target.name}: seeded ${CATCH_UP_EVENTS} events in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
  const run = await catchUp(target.store, target.serverCpu);
  note(measurement(`catch-up readAll, ${run.ops.toLocaleString('en-US')} events, pages of 1000`, run, { unit: 'events/s' }));
  return rows;
}

export async function run(): Promise<void> {
  const versions: string[] = [];
  const tables: string[] = [];
  for (const open of [postgresTarget, pgliteTarget]) {
    const target = await open();
    try {
      versions.push(target.version);
      tables.push(markdownTable(target.name, await benchTarget(target)));
    } finally {
      await target.close();
    }
  }
  console.log(`\n${machineLine({ databases: versions.join(', '), 'write cases': `${SLICES} x ${SLICE_MS} ms interleaved` })}\n`);
  console.log(tables.join('\n\n'));
}
