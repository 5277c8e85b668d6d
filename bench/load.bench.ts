import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startErrand, until, type RunningErrand } from '../test/support/http-engine.ts';
import { TEST_REDIS_URL } from '../test/support/redis.ts';
import type { LoadPlan, LoadResult } from './support/autocannon-runner.ts';
import { startProfile, summarize, type ProfileSummary } from './support/cpu-profile.ts';
import { machineLine } from './support/machine.ts';
import { postgresServerCpu } from './support/server-cpu.ts';
import { countQueries, sampleBackends, type BackendSample } from './support/pg-observation.ts';

/**
 * The HTTP API under load: a whole Errand (startErrand: PostgreSQL, Redis/BullMQ, projections, evidence worker,
 * rate limiter set high) runs in THIS process; autocannon runs in a second process (bench/support/autocannon-runner.ts)
 * so the load generator does not share the server's event loop (it does share the machine's two cores).
 *
 * Data first: one demo citizen drafts PREPARED residence-permit cases, uploads the photo and submits each; the PSB
 * clerk accepts a share of them so the evidence worker fetches evidence and their views carry evidence and a
 * timeline. Then: reading a case view (GET /api/v1/cases/:id as the citizen, rotating over the prepared ids) and
 * submitting an application (POST /api/v1/cases, a fresh Idempotency-Key per request), each at a fixed 500 req/s and
 * unthrottled. Projections catch up before each run, so one run's backlog does not land on the next.
 *
 * BENCH_LOAD_DURATION (s, default 15), BENCH_LOAD_MAX_DURATION (s, default 10), BENCH_LOAD_RATE (default 500),
 * BENCH_LOAD_SCENARIOS (comma list of read-rate, read-max, submit-rate, submit-max), BENCH_LOAD_PROFILE=1 to sample
 * the server's CPU during every run and print where the time went (BENCH_LOAD_PROFILE_DIR to keep .cpuprofile files).
 */
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 500);
const DURATION = Number(process.env.BENCH_LOAD_DURATION ?? 15);
const MAX_DURATION = Number(process.env.BENCH_LOAD_MAX_DURATION ?? 10);
const PREPARED = Number(process.env.BENCH_LOAD_CASES ?? 300);
const ACCEPTED = Math.round(PREPARED / 5);
const RATE_CONNECTIONS = 50;
const MAX_CONNECTIONS = 32;
const TARGET_P99_MS = 50;
const PROFILE = process.env.BENCH_LOAD_PROFILE === '1';
const SCENARIOS = (process.env.BENCH_LOAD_SCENARIOS ?? 'read-rate,read-max,submit-rate,submit-max').split(',').map((s) => s.trim());
const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'autocannon-runner.ts');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF bench photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/** Where the server's CPU goes: the first pattern matching the frame a sample is charged to names its concern. */
const PROFILE_CONCERNS: Record<string, RegExp> = {
  'HTTP response write (express res.json/send)': /node_modules\/express\/lib\/response/,
  'JWT verification (jsonwebtoken, crypto verify)': /node_modules\/(jsonwebtoken|jws|jwa)\/|api\/auth\//,
  'rate limiter': /express-rate-limit|api\/http\/rate-limit/,
  'prom-client metrics': /node_modules\/prom-client|api\/metrics\//,
  'pino access log': /node_modules\/(pino|sonic-boom)|api\/http\/access-log/,
  'helmet / security headers': /node_modules\/helmet|api\/http\/security-headers/,
  'JSON body parsing': /node_modules\/(body-parser|raw-body|iconv-lite)/,
  'express + router': /node_modules\/(express|router|finalhandler|send|on-finished|type-is|content-type|qs|path-to-regexp|depd|statuses|http-errors)\//,
  'ajv validation': /node_modules\/ajv|api\/openapi\//,
  'api/http (router glue, problems, context)': /api\/http\//,
  'pg driver (query write, row parsing)': /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//,
  'ioredis / bullmq': /node_modules\/(ioredis|bullmq|msgpackr)/,
  'command handler (fold + decide)': /workflows\//,
  'xstate': /node_modules\/xstate/,
  'case view route (read.routes, withDaysLeft, calendar)': /api\/routes\/|projections\/views\/case-view\/days|domain\/calendar\//,
  'projections (runner + views)': /\/projections\//,
  'event store adapter': /adapters\/event-store\//,
  'read store adapter': /adapters\/read-store\//,
  'reactors / queue / evidence': /adapters\/(reactors|queue|evidence)\//,
};

interface ServerSample {
  rssMaxMb: number;
  rssEndMb: number;
  cpuCores: number;
  pgCpuCores: number | null;
  loopDelayP99Ms: number;
  /**
   * Share of wall time the event loop was not waiting for I/O. Next to the CPU column it tells a saturated loop
   * (utilization near 1 at 1 core of CPU) from a starved one (utilization near 1 with much less CPU: runnable, but
   * the machine's cores were busy with other processes).
   */
  loopUtilization: number;
  /** Garbage-collection pauses of the server during the run. */
  gcPauses: number;
  gcMaxMs: number;
  gcTotalMs: number;
  /** Full (mark-compact) collections and their longest pause; scavenges are the rest. */
  gcMajor: number;
  gcMajorMaxMs: number;
  heapUsedMaxMb: number;
  /** Times per second the kernel took the CPU from the server to run something else (other processes on the machine). */
  preemptionsPerSecond: number;
  loadAverage: string;
}

interface Row {
  label: string;
  plan: LoadPlan;
  result: LoadResult;
  server: ServerSample;
  profile?: ProfileSummary;
  /** What the database backends were doing, sampled every 50 ms (profile mode). */
  backends?: BackendSample;
  queries?: Array<{ statement: string; count: number }>;
}

async function loadGenerator(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`load generator exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(last) as LoadResult);
    });
  });
}

/** Runs the plan in the second process while this one serves it, watching memory, CPU and event-loop delay. */
async function measured(label: string, plan: LoadPlan, pgCpu: () => Promise<number | undefined>, probe: pg.Pool): Promise<Row> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let rssMax = process.memoryUsage().rss;
  let heapMax = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    rssMax = Math.max(rssMax, memory.rss);
    heapMax = Math.max(heapMax, memory.heapUsed);
  }, 200);
  const gc = { pauses: 0, maxMs: 0, totalMs: 0, major: 0, majorMaxMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.pauses += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major += 1;
        gc.majorMaxMs = Math.max(gc.majorMaxMs, entry.duration);
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const pg0 = await pgCpu();
  const stopProfile = PROFILE ? await startProfile() : null;
  const stopBackends = PROFILE ? sampleBackends(probe) : null;
  const stopCounting = PROFILE ? countQueries() : null;
  const usage0 = process.resourceUsage();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  loop.enable();
  try {
    const result = await loadGenerator(plan);
    loop.disable();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const usage1 = process.resourceUsage();
    const elu = performance.eventLoopUtilization(elu0);
    const queries = stopCounting?.();
    const backends = stopBackends ? await stopBackends() : undefined;
    const pg1 = await pgCpu();
    const profile = stopProfile
      ? summarize(await stopProfile(), PROFILE_CONCERNS, process.env.BENCH_LOAD_PROFILE_DIR ? path.join(process.env.BENCH_LOAD_PROFILE_DIR, `load-${label.replace(/\W+/g, '-')}.cpuprofile`) : undefined)
      : undefined;
    const server: ServerSample = {
      rssMaxMb: rssMax / 2 ** 20,
      rssEndMb: process.memoryUsage().rss / 2 ** 20,
      cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
      pgCpuCores: pg0 !== undefined && pg1 !== undefined ? (pg1 - pg0) / 1000 / seconds : null,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopUtilization: elu.utilization,
      gcPauses: gc.pauses,
      gcMaxMs: gc.maxMs,
      gcTotalMs: gc.totalMs,
      gcMajor: gc.major,
      gcMajorMaxMs: gc.majorMaxMs,
      heapUsedMaxMb: heapMax / 2 ** 20,
      preemptionsPerSecond: (usage1.involuntaryContextSwitches - usage0.involuntaryContextSwitches) / seconds,
      loadAverage: os.loadavg().map((l) => l.toFixed(1)).join(' / '),
    };
    const row = { label, plan, result, server, profile, backends, queries };
    console.log(
      `  ${label}: ${Math.round(result.perSecond)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
        `non-2xx ${result.non2xx}, errors ${result.errors}, RSS max ${Math.round(server.rssMaxMb)} MB, ` +
        `GC ${server.gcPauses} pauses (max ${server.gcMaxMs.toFixed(1)} ms; ${server.gcMajor} full, max ${server.gcMajorMaxMs.toFixed(1)} ms; heap max ${Math.round(server.heapUsedMaxMb)} MB), preempted ${Math.round(server.preemptionsPerSecond)}/s, load ${server.loadAverage}`,
    );
    return row;
  } finally {
    clearInterval(sampler);
    loop.disable();
    gcObserver.disconnect();
  }
}

/** What the server costs with no requests at all: subscriptions polling the log, timers, metrics. */
async function idleCost(pgCpu: () => Promise<number | undefined>, seconds = 5): Promise<string> {
  const stopCounting = countQueries();
  const pg0 = await pgCpu();
  const cpu0 = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await pgCpu();
  const queries = stopCounting().filter((q) => !q.statement.startsWith('SELECT pid FROM pg_stat_activity'));
  const total = queries.reduce((sum, q) => sum + q.count, 0);
  const pgCores = pg0 !== undefined && pg1 !== undefined ? ((pg1 - pg0) / 1000 / seconds).toFixed(3) : '-';
  return `idle server (no requests, ${seconds} s): ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(3)} cores of server CPU, ${pgCores} of PostgreSQL; ` +
    `${(total / seconds).toFixed(0)} SQL statements/s (${queries.slice(0, 3).map((q) => `${q.statement} ${(q.count / seconds).toFixed(0)}/s`).join(', ')})`;
}

async function inParallel<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Drafted, photo uploaded and submitted; every fifth accepted so evidence is fetched. Returns the case ids. */
async function prepare(errand: RunningErrand, citizen: string, clerk: string): Promise<{ ids: string[]; accepted: string[] }> {
  const ids: string[] = [];
  await inParallel(Array.from({ length: PREPARED }, (_, i) => i), 8, async (i) => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': `bench-prepare-${i}` });
    expectStatus(draft, 201, 'draft');
    const caseId = String(draft.body.caseId);
    expectStatus(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' }), 200, 'upload');
    expectStatus(await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {}), 200, 'submit');
    ids.push(caseId);
  });
  const accepted = ids.slice(0, ACCEPTED);
  await inParallel(accepted, 4, async (caseId) => expectStatus(await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {}), 200, 'accept'));
  return { ids, accepted };
}

/** Until every projection has read the whole log (lag 0), or the bound passes; says how it ended. */
async function projectionsCaughtUp(errand: RunningErrand, admin: string, timeoutMs = 90_000): Promise<string> {
  const started = Date.now();
  try {
    await until('projections caught up', async () => {
      const response = await errand.api(admin, 'GET', '/admin/projections');
      const items = response.body.items as Array<{ lagMs: number | null }> | undefined;
      return items && items.length > 0 && items.every((item) => item.lagMs === 0);
    }, timeoutMs);
    return `caught up in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  } catch {
    return `NOT caught up after ${timeoutMs / 1000} s`;
  }
}

const fixed = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits));

function table(rows: Row[]): string {
  const lines = [
    '| run | target | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | non-2xx | errors / timeouts | server RSS max MB | server CPU (cores) | event-loop utilization | PostgreSQL CPU (cores) | load generator CPU (cores) | event-loop delay p99 ms | GC pauses (max ms) | full GCs (max ms) | server preempted /s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { label, plan, result, server } of rows) {
    const target = plan.rate > 0 ? `${plan.rate} req/s, ${plan.connections} conn` : `max, ${plan.connections} conn`;
    lines.push(
      `| ${label} | ${target} | ${Math.round(result.perSecond).toLocaleString('en-US')} | ${fixed(result.p50Ms, 1)} | ${fixed(result.p90Ms, 1)} | ${fixed(result.p99Ms, 1)} | ${fixed(result.maxMs, 0)} | ` +
        `${result.ok.toLocaleString('en-US')} | ${result.non2xx.toLocaleString('en-US')} | ${result.errors} / ${result.timeouts} | ${fixed(server.rssMaxMb, 0)} | ` +
        `${fixed(server.cpuCores, 2)} | ${fixed(server.loopUtilization, 2)} | ${fixed(server.pgCpuCores, 2)} | ${fixed(result.generatorCpu, 2)} | ${fixed(server.loopDelayP99Ms, 1)} | ` +
        `${server.gcPauses} (${fixed(server.gcMaxMs, 1)}) | ${server.gcMajor} (${fixed(server.gcMajorMaxMs, 1)}) | ${Math.round(server.preemptionsPerSecond)} |`,
    );
  }
  return lines.join('\n');
}

function profileReport(row: Row): string {
  const p = row.profile!;
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return [
    `#### Server CPU profile: ${row.label} (${(p.totalMs / 1000).toFixed(1)} s busy sampled${p.file ? `, ${p.file}` : ''})`,
    '',
    '| concern (self time, native frames charged to their JavaScript caller) | share |',
    '| --- | ---: |',
    ...p.byConcern.slice(0, 16).map((c) => `| ${c.name} | ${pct(c.share)} |`),
    '',
    'Top functions (self): ' + p.byFunction.slice(0, 12).map((f) => `${f.name} ${pct(f.share)}`).join('; '),
    ...(row.backends
      ? ['', `PostgreSQL backends of the Errand database, mean count per state / wait event (${row.backends.samples} samples): ` +
          row.backends.mean.slice(0, 10).map((b) => `${b.what} ${b.backends.toFixed(1)}`).join(', ')]
      : []),
    ...(row.queries
      ? ['', `SQL statements sent per request (all of this process, ${row.result.requests.toLocaleString('en-US')} requests): ` +
          row.queries.slice(0, 12).map((q) => `${q.statement} ${(q.count / Math.max(1, row.result.requests)).toFixed(2)}`).join('; ')]
      : []),
  ].join('\n');
}

export async function run(): Promise<void> {
  const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const started = Date.now();
  const errand = await startErrand('bench_load');
  const engineConfig = errand.engine.config.eventStore;
  const probe = new pg.Pool({ connectionString: engineConfig.kind === 'postgres' ? engineConfig.url : undefined, max: 1, idleTimeoutMillis: 0 });
  const pgCpu = postgresServerCpu(probe);
  const rows: Row[] = [];
  const notes: string[] = [];
  const versions: string[] = [];
  try {
    const { rows: pgVersion } = await probe.query<{ server_version: string }>('SHOW server_version');
    const redis = new Redis(TEST_REDIS_URL);
    const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
    await redis.quit();
    versions.push(`PostgreSQL ${pgVersion[0]!.server_version}`, `Redis ${redisVersion}`);
    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const admin = await errand.signIn('admin');
    const { ids, accepted } = await prepare(errand, citizen, clerk);
    await until(`${accepted.length} accepted cases through evidence gathering`, async () => {
      let inReview = 0;
      for (const caseId of accepted) {
        const view = await errand.api(citizen, 'GET', `/cases/${caseId}`);
        if (view.body.status === 'review') inReview += 1;
      }
      return inReview === accepted.length;
    }, 90_000);
    notes.push(`prepared ${ids.length} submitted cases (${accepted.length} accepted, evidence fetched, in review) in ${((Date.now() - started) / 1000).toFixed(0)} s; projections ${await projectionsCaughtUp(errand, admin)}`);
    const sample = await errand.api(citizen, 'GET', `/cases/${accepted[0]}`);
    notes.push(`a case view in review is ${JSON.stringify(sample.body).length.toLocaleString('en-US')} bytes of JSON`);

    const base = { baseUrl: errand.baseUrl, token: citizen };
    const read: Omit<LoadPlan, 'rate' | 'durationSec' | 'connections'> = { ...base, mode: 'read', ids };
    const submit: Omit<LoadPlan, 'rate' | 'durationSec' | 'connections'> = { ...base, mode: 'submit' };
    // Warm-up: JIT, connection pools, prepared statements.
    await loadGenerator({ ...read, rate: 100, durationSec: 3, connections: 10 });
    await loadGenerator({ ...submit, rate: 50, durationSec: 2, connections: 10 });
    notes.push(`after warm-up, projections ${await projectionsCaughtUp(errand, admin)}`);
    notes.push(await idleCost(pgCpu));

    for (const scenario of SCENARIOS) {
      const [kind, speed] = scenario.split('-') as ['read' | 'submit', 'rate' | 'max'];
      const shape = kind === 'read' ? read : submit;
      const plan: LoadPlan = speed === 'rate'
        ? { ...shape, rate: RATE, durationSec: DURATION, connections: RATE_CONNECTIONS }
        : { ...shape, rate: 0, durationSec: MAX_DURATION, connections: MAX_CONNECTIONS };
      const label = `${kind === 'read' ? 'GET /api/v1/cases/:id (citizen)' : 'POST /api/v1/cases (new application)'}, ${speed === 'rate' ? `${RATE} req/s` : 'unthrottled'}`;
      rows.push(await measured(label, plan, pgCpu, probe));
      if (kind === 'submit') notes.push(`after "${label}", projections ${await projectionsCaughtUp(errand, admin)}`);
    }
  } finally {
    await probe.end();
    await errand.stop();
  }

  const misses = rows.filter((row) => row.plan.rate > 0 && !(row.result.p99Ms < TARGET_P99_MS && row.result.non2xx === 0 && row.result.perSecond >= row.plan.rate * 0.97));
  console.log(`\n${machineLine({ servers: versions.join(', '), 'load average at start': loadAtStart, 'server': 'Errand (startErrand) in the bench process', 'load generator': 'autocannon 9 in a second process' })}\n`);
  console.log(table(rows));
  console.log(`\n${notes.join('\n')}`);
  console.log(
    `\ntarget p99 < ${TARGET_P99_MS} ms at ${RATE} req/s: ` +
      (misses.length === 0 ? 'met by every fixed-rate run' : `MISSED by ${misses.map((m) => `${m.label} (p99 ${m.result.p99Ms.toFixed(1)} ms, ${Math.round(m.result.perSecond)} req/s, non-2xx ${m.result.non2xx})`).join('; ')}`),
  );
  for (const row of rows) if (row.profile) console.log(`\n${profileReport(row)}`);
}
