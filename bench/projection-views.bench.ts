import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { createMongoReadStore } from '../adapters/read-store/mongo/index.ts';
import { createPostgresReadStore } from '../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { START, type Checkpoint } from '../domain/events/index.ts';
import { createProjectionRunner, type Projector } from '../projections/index.ts';
import { createViewProjectors } from '../projections/views/index.ts';
import { createTestMongoDatabase } from '../test/support/mongo.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres.ts';
import { calendar, services, type Append } from '../test/unit/projection-views-scenarios.ts';
import { newEventsOf } from '../test/unit/projection-views-support.ts';
import { caseAppend, templates } from './support/case-log.ts';
import { machineLine } from './support/machine.ts';
import { percentile } from './support/measure.ts';

/**
 * Rebuild throughput of the real view projectors on PostgreSQL. The log holds BENCH_VIEW_CASES cases (default
 * 100,000) from bench/support/case-log.ts, interleaved by time as a live log would be. Each projector is then rebuilt
 * from the start of the log through the runner (runner.rebuild()), one projector at a time, each in a fresh process:
 * the stream-scoped ones replay the log case by case up to a cut and catch up in log order after it; the others read
 * in log order (read batch, getMany, apply, one transaction of putMany and the checkpoint, two batches' transactions
 * open at once). Peak RSS is sampled during each rebuild.
 */
const CASES = Number(process.env.BENCH_VIEW_CASES ?? 100_000);
/**
 * Events per rebuild batch, the runner's default of 1,000 unless set. With two batches' writes in flight, measured on
 * a quiet machine with 30,000 cases: 500 gave 16,570 case-view events/s at 293 MB, 1,000 gave 16,346 at 335 MB and
 * 2,000 gave 18,446 at 433 MB; memory grows faster than throughput, so the default stays.
 */
const REBUILD_BATCH = Number(process.env.BENCH_REBUILD_BATCH ?? 1_000);
/** Comma-separated projector names to run (all by default). */
const ONLY = process.env.BENCH_VIEW_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
/**
 * The stream-scoped views (case view, citizen cases, work queue) rebuild case by case; the case view is also rebuilt
 * in log order, as every projection was before, as the same run's baseline (BENCH_VIEW_LOG_ORDER=0 leaves it out).
 */
const LOG_ORDER = ' (log order)';
const LOG_ORDER_BASELINE = process.env.BENCH_VIEW_LOG_ORDER !== '0';
/** With MONGO_URL set, the case view is also rebuilt into a MongoDB (or FerretDB) read store, beside PostgreSQL's. */
const ON_MONGO = ' (MongoDB read store)';
const INSERT_BATCH = 2000;
const TARGET_CASE_VIEW = 20_000;
const TARGET_RSS_MB = 300;

interface Row {
  label: string;
  events: number;
  seconds: number;
  batchP50Ms: number;
  batchP99Ms: number;
  peakRssMb: number;
}

/**
 * Loads the log in time order with multi-row INSERTs into the event store's own table: the rows the append function
 * writes (same columns, revisions per stream, positions in insert order), a few thousand per transaction, so a
 * million events load in a minute rather than the many minutes a million single appends would take.
 */
async function seed(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const byAt = new Map<string, Array<Array<{ append: Append; index: number }>>>();
  templates.forEach((template, t) =>
    template.appends.forEach((append, index) => {
      let perTemplate = byAt.get(append.at);
      if (!perTemplate) byAt.set(append.at, (perTemplate = templates.map(() => [])));
      perTemplate[t]!.push({ append, index });
    }),
  );
  const revisions = new Int32Array(CASES).fill(-1);
  const rows: { stream: string[]; revision: string[]; id: string[]; type: string[]; data: string[]; metadata: string[] } = { stream: [], revision: [], id: [], type: [], data: [], metadata: [] };
  let total = 0;
  const flush = async () => {
    if (rows.stream.length === 0) return;
    await pool.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [rows.stream, rows.revision, rows.id, rows.type, rows.data, rows.metadata],
    );
    total += rows.stream.length;
    for (const column of Object.values(rows)) column.length = 0;
  };
  try {
    for (const at of [...byAt.keys()].sort()) {
      const perTemplate = byAt.get(at)!;
      for (let n = 0; n < CASES; n += 1) {
        for (const { append, index } of perTemplate[n % templates.length]!) {
          const own = caseAppend(n, templates[n % templates.length]!, append, index);
          for (const event of newEventsOf(own)) {
            revisions[n] = revisions[n]! + 1;
            rows.stream.push(own.streamId);
            rows.revision.push(String(revisions[n]));
            rows.id.push(event.metadata.eventId);
            rows.type.push(event.type);
            rows.data.push(JSON.stringify(event.data));
            rows.metadata.push(JSON.stringify(event.metadata));
          }
          if (rows.stream.length >= INSERT_BATCH) await flush();
        }
      }
    }
    await flush();
    await pool.query('ANALYZE events');
  } finally {
    await pool.end();
  }
  return total;
}

/**
 * BENCH_VIEW_DB names a database to seed once and keep, so repeated measurements of one change skip the minute of
 * seeding; it must be a database of its own (its events table is read as the log).
 */
function keptDatabase(url: string): TestDatabase {
  return { url, name: new URL(url).pathname.slice(1), drop: async () => undefined };
}

async function storedEvents(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** A full collection before each measurement, so one projector's garbage does not count against the next. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function timed(label: string, work: (tick: () => void) => Promise<number>): Promise<Row> {
  collectGarbage();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const batches: number[] = [];
  let last = process.hrtime.bigint();
  const started = last;
  const tick = () => {
    const now = process.hrtime.bigint();
    batches.push(Number(now - last) / 1e6);
    last = now;
  };
  try {
    const events = await work(tick);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { label, events, seconds, batchP50Ms: percentile(batches, 50), batchP99Ms: percentile(batches, 99), peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function readOnly(eventStore: EventStore): Promise<Row> {
  return timed('read log only (baseline)', async (tick) => {
    let events = 0;
    for (let after: Checkpoint = START; ; ) {
      const batch = await eventStore.readAll(after, 1000);
      if (batch.length === 0) return events;
      events += batch.length;
      after = batch[batch.length - 1]!.checkpoint;
      tick();
    }
  });
}

async function rebuild(eventStore: EventStore, readStore: ReadStore, projector: Projector, logOrder: boolean): Promise<Row> {
  const runner = createProjectionRunner({
    eventStore, readStore, projectors: [projector], dropDelayMs: 0, rebuildBatchSize: REBUILD_BATCH, rebuildByStream: !logOrder,
  });
  try {
    return await timed(logOrder ? `${projector.name}${LOG_ORDER}` : projector.name, async (tick) => {
      const result = await runner.rebuild(projector.name, (p) => (p.phase === 'by-stream' || p.phase === 'catching-up') && tick());
      return result.eventsProcessed;
    });
  } finally {
    await runner.stop();
  }
}

function table(rows: Row[]): string {
  const fixed = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const lines = [
    '| projection | events/s | events | seconds | batch p50 ms | batch p99 ms | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${Math.round(r.events / r.seconds).toLocaleString('en-US')} | ${r.events.toLocaleString('en-US')} | ${fixed(r.seconds, 1)} | ${fixed(r.batchP50Ms, 1)} | ${fixed(r.batchP99Ms, 1)} | ${fixed(r.peakRssMb)} |`),
  ];
  return lines.join('\n');
}

/**
 * Each measurement runs in a fresh process over the seeded database: the parent generated and loaded ~1M events and
 * its heap still shows it, so only a process that does nothing but the rebuild tells what a projection needs.
 */
async function inChild(url: string, what: string): Promise<Row> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...(process.env.BENCH_VIEW_HEAP_MB ? [`--max-old-space-size=${process.env.BENCH_VIEW_HEAP_MB}`] : []), '--import', 'tsx', 'bench/run.ts', 'projection-views'], {
    env: { ...process.env, BENCH_VIEW_CHILD_DB: url, BENCH_VIEW_CHILD_WHAT: what },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output.split('\n').find((l) => l.startsWith('{"row":'));
  if (code !== 0 || !line) throw new Error(`measuring ${what} in a child process failed (exit ${code})`);
  return (JSON.parse(line) as { row: Row }).row;
}

async function childMeasurement(url: string, what: string): Promise<void> {
  const eventStore = await createPostgresEventStore({ connectionString: url, poolSize: 4, migrate: false });
  const onMongo = what.endsWith(ON_MONGO) && process.env.MONGO_URL ? createTestMongoDatabase(process.env.MONGO_URL, 'bench_views') : undefined;
  const readStore = onMongo ? createMongoReadStore({ url: onMongo.url }) : createPostgresReadStore({ connectionString: url, maxConnections: 4 });
  try {
    const logOrder = what.endsWith(LOG_ORDER);
    const name = logOrder ? what.slice(0, -LOG_ORDER.length) : onMongo ? what.slice(0, -ON_MONGO.length) : what;
    const projector = createViewProjectors({ services, calendars: () => calendar }).find((p) => p.name === name);
    const row = projector ? await rebuild(eventStore, readStore, projector, logOrder) : await readOnly(eventStore);
    if (onMongo) row.label = what;
    process.stdout.write(`${JSON.stringify({ row })}\n`);
  } finally {
    await eventStore.close();
    await readStore.close();
    await onMongo?.drop();
  }
}

export async function run(): Promise<void> {
  if (process.env.BENCH_VIEW_CHILD_DB) return childMeasurement(process.env.BENCH_VIEW_CHILD_DB, process.env.BENCH_VIEW_CHILD_WHAT ?? '');
  const database = process.env.BENCH_VIEW_DB ? keptDatabase(process.env.BENCH_VIEW_DB) : await createTestDatabase('bench_views');
  const eventStore = await createPostgresEventStore({ connectionString: database.url, poolSize: 4 });
  const readStore = createPostgresReadStore({ connectionString: database.url, maxConnections: 4 });
  try {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await admin.end();
    console.log(machineLine({ postgres: `PostgreSQL ${version}` }));
    const seedStarted = Date.now();
    const kept = await storedEvents(database.url);
    const events = kept > 0 ? kept : await seed(database.url);
    console.log(kept > 0
      ? `reusing ${database.name}: ${events.toLocaleString('en-US')} events already seeded (BENCH_VIEW_CASES is ignored)`
      : `seeded ${CASES.toLocaleString('en-US')} cases, ${events.toLocaleString('en-US')} events in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
    const rows = [await inChild(database.url, 'read log only')];
    const measured = createViewProjectors({ services, calendars: () => calendar }).filter((p) => !ONLY || ONLY.includes(p.name));
    const names = measured.flatMap((p) =>
      p.name !== 'case-view' ? [p.name] : [p.name, ...(LOG_ORDER_BASELINE ? [`${p.name}${LOG_ORDER}`] : []), ...(process.env.MONGO_URL ? [`${p.name}${ON_MONGO}`] : [])],
    );
    for (const name of names) {
      rows.push(await inChild(database.url, name));
      console.log(`  ${name}: ${Math.round(rows.at(-1)!.events / rows.at(-1)!.seconds).toLocaleString('en-US')} events/s`);
    }
    console.log(`\n### View projectors, PostgreSQL, ${CASES.toLocaleString('en-US')} cases (${events.toLocaleString('en-US')} events)\n`);
    console.log(table(rows));
    const caseView = rows.find((r) => r.label === 'case-view');
    // The log-order baseline is not how the product rebuilds these views, so its memory is not the product's.
    const peak = Math.max(...rows.filter((r) => !r.label.endsWith(LOG_ORDER) && !r.label.endsWith(ON_MONGO)).map((r) => r.peakRssMb));
    const memory = `peak RSS ${peak.toFixed(0)} MB (target < ${TARGET_RSS_MB}: ${peak < TARGET_RSS_MB ? 'met' : 'NOT met'})`;
    if (!caseView) console.log(`\ncase view not run (BENCH_VIEW_ONLY); ${memory}`);
    else {
      const rate = caseView.events / caseView.seconds;
      const baseline = rows.find((r) => r.label === `case-view${LOG_ORDER}`);
      const ratio = baseline ? `, ${(rate / (baseline.events / baseline.seconds)).toFixed(2)}x the same run's log-order rebuild` : '';
      console.log(`\ncase view: ${Math.round(rate).toLocaleString('en-US')} events/s${ratio} (target >= ${TARGET_CASE_VIEW.toLocaleString('en-US')}: ${rate >= TARGET_CASE_VIEW ? 'met' : 'NOT met'}); ${memory}`);
    }
  } finally {
    await eventStore.close();
    await readStore.close();
    await database.drop();
  }
}
