import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { caseStream } from '../domain/case/events.ts';
import { startErrand, type RunningErrand } from '../test/support/http-engine.ts';
import { machineLine } from './support/machine.ts';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { startProfile, summarize } from './support/cpu-profile.ts';
import { countQueries } from './support/pg-observation.ts';
import { measurement, percentile, runFor, type Measurement } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * 秒批 end to end over the HTTP API: a closed loop of citizens, each drafting an application for an instant-approval
 * service, submitting it, and reading the case until its certificate is issued. Nothing else acts: the platform
 * accepts the case (AcceptOnSubmission timer), the evidence worker fetches three items from three department
 * gateways that each answer after GATEWAY_DELAY_MS, the rules approve and certify. Run on PostgreSQL + Redis
 * (BullMQ) and on the embedded default (PGlite, in-process queue), each with a same-run baseline: single-event
 * appends to new streams through the same event store, by as many clients.
 *
 * BENCH_DURATION_MS (default 15000), INSTANT_BENCH_CLIENTS (default 32), INSTANT_BENCH_DELAY_MS (default 20),
 * INSTANT_BENCH_POLL_MS (default 25), INSTANT_BENCH_POLL (backoff: after POLL_MS, then a quarter of the time waited so
 * far; fixed: every POLL_MS, as runs before 2026-12-02 14:00 did), INSTANT_BENCH_ENGINES (pg,embedded), INSTANT_BENCH_PROFILE=1 (CPU profile of
 * the loop, self time by concern and by function).
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const CLIENTS = Number(process.env.INSTANT_BENCH_CLIENTS ?? 32);
const GATEWAY_DELAY_MS = Number(process.env.INSTANT_BENCH_DELAY_MS ?? 20);
const POLL_MS = Number(process.env.INSTANT_BENCH_POLL_MS ?? 25);
const ENGINES = (process.env.INSTANT_BENCH_ENGINES ?? 'pg,embedded').split(',').map((e) => e.trim());
const PROFILE = process.env.INSTANT_BENCH_PROFILE === '1';
const BACKOFF = (process.env.INSTANT_BENCH_POLL ?? 'backoff') === 'backoff';
/** The bench is not a contract test (the e2e suites are): answers are not checked against the OpenAPI document. */
const LEAN = { contract: false } as const;
const TARGETS: Record<string, number> = { pg: 300, embedded: 50 };
const PROFILE_CONCERNS: Record<string, RegExp> = {
  'bench client (fetch, OpenAPI check of answers)': /bench\/|test\/support\/|node_modules\/undici/,
  'JWT verification': /node_modules\/(jsonwebtoken|jws|jwa|jose)\/|api\/auth\//,
  'ajv validation': /node_modules\/ajv|api\/openapi\//,
  'express + http glue': /node_modules\/(express|router|finalhandler|send|on-finished|type-is|content-type|qs|path-to-regexp|body-parser|raw-body|helmet|express-rate-limit)\/|api\/http\//,
  'API routes': /api\/routes\//,
  'pg driver': /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//,
  'PGlite': /@electric-sql\/pglite/,
  'ioredis / bullmq': /node_modules\/(ioredis|bullmq|msgpackr)/,
  'command handler (fold + decide)': /workflows\//,
  xstate: /node_modules\/xstate/,
  'projections (runner + views)': /\/projections\//,
  'event store adapter': /adapters\/event-store\//,
  'read store adapter': /adapters\/read-store\//,
  'gateways (sign, verify, access log)': /adapters\/(gateway|jose)\/|adapters\/evidence\/http/,
  'evidence worker': /adapters\/evidence\//,
  'reactor / timers / queue adapter': /adapters\/(reactors|queue)\//,
  'domain rules': /\/domain\//,
};

/** A housing-office eligibility certificate decided on three shared items: PSB, HRSS and NRB, one gateway each. */
const SERVICE = {
  id: 'bench-housing-eligibility',
  version: 1,
  name: { 'zh-CN': '住房资格证明（基准测试）', en: 'Housing eligibility certificate (bench)' },
  legalBasis: 'bench',
  department: 'HOUSING',
  coReviewers: [],
  applicantType: 'person',
  form: [],
  materials: [
    { id: 'household', kind: 'evidence', name: { 'zh-CN': '户籍', en: 'Household' }, key: true, dataItem: 'household-registration', fields: ['citizenId', 'registrationRegion'] },
    { id: 'insurance', kind: 'evidence', name: { 'zh-CN': '社保', en: 'Insurance' }, key: true, dataItem: 'social-insurance', fields: ['insuredStatus', 'monthsContributedLocally'] },
    { id: 'property', kind: 'evidence', name: { 'zh-CN': '房产', en: 'Property' }, key: true, dataItem: 'property-ownership', fields: ['propertiesOwned'] },
  ],
  instantApproval: {
    conditions: [
      { material: 'household', field: 'citizenId', op: 'exists' },
      { material: 'insurance', field: 'insuredStatus', op: 'eq', value: 'active' },
      { material: 'property', field: 'propertiesOwned', op: 'eq', value: 0 },
    ],
  },
  limits: { calendar: 'CN', dayKind: 'working', statutoryDays: 5, promisedDays: 1, warningDays: 0, extensionDays: 0, certificateDays: 1, supplementDays: 5 },
  fee: { amount: 0, currency: 'CNY' },
  outcome: { certificateType: 'bench-housing-eligibility', name: { 'zh-CN': '住房资格证明', en: 'Housing eligibility' }, validityMonths: 1 },
};

type Timeline = Array<{ type: string; at: string }>;

/** Statements PGlite runs (the embedded default's one connection), by their first 60 characters. */
function countPgliteQueries(): () => Array<{ statement: string; count: number }> {
  const proto = PGlite.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const counts = new Map<string, number>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const key = String(args[0]).replace(/\s+/g, ' ').trim().slice(0, 60);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
    return [...counts.entries()].map(([statement, count]) => ({ statement, count })).sort((a, b) => b.count - a.count);
  };
}

/** Redis commands sent by this process (BullMQ's scripts count as one evalsha each), by name. */
function countRedisCommands(): () => Array<{ statement: string; count: number }> {
  const proto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const original = proto.sendCommand;
  const counts = new Map<string, number>();
  proto.sendCommand = function (this: unknown, ...args: unknown[]) {
    const command = args[0] as { name?: string } | undefined;
    const name = command?.name ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return original.apply(this, args);
  };
  return () => {
    proto.sendCommand = original;
    return [...counts.entries()].map(([statement, count]) => ({ statement, count })).sort((a, b) => b.count - a.count);
  };
}
const ms = (from: string | undefined, to: string | undefined) => (from && to ? Date.parse(to) - Date.parse(from) : Number.NaN);

async function oneEngine(engine: string): Promise<{ rows: Measurement[]; phases: string }> {
  const errand: RunningErrand = await startErrand(`bi_${engine}`, { embedded: engine === 'embedded', gatewayDelayMs: GATEWAY_DELAY_MS });
  try {
    const admin = await errand.signIn('admin');
    const published = await errand.api(admin, 'POST', '/admin/services', SERVICE);
    if (published.status !== 201) throw new Error(`publishing the bench service: ${published.status} ${JSON.stringify(published.body)}`);
    const citizen = await errand.signIn('citizen-instant-approval');
    const timelines: Timeline[] = [];
    let refused = 0;
    let polls = 0;

    const application = async () => {
      const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: SERVICE.id, form: {} }, {}, LEAN);
      if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
      const caseId = String(draft.body.caseId);
      const submitted = await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {}, {}, LEAN);
      if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      const started = Date.now();
      let etag: string | null = null;
      for (;;) {
        // A citizen's page asks again after POLL_MS, then after a quarter of the time waited so far (BACKOFF): the
        // answer is seen at most a quarter late, and a slow case is not asked about forty times a second.
        const waited = Date.now() - started;
        await new Promise((resolve) => setTimeout(resolve, BACKOFF ? Math.max(POLL_MS, waited / 4) : POLL_MS));
        polls += 1;
        // As a page would: revalidate with the last ETag, so an unchanged case answers 304 with no body.
        const view = await errand.api(citizen, 'GET', `/cases/${caseId}`, undefined, etag ? { 'If-None-Match': etag } : {}, LEAN);
        etag = view.headers.get('etag') ?? etag;
        if (Date.now() - started > 60_000) throw new Error(`case ${caseId} got no certificate within 60 s`);
        if (view.status === 304) continue;
        if (view.status === 200 && view.body.certificate) {
          timelines.push(view.body.timeline as Timeline);
          return;
        }
        if (view.status === 200 && view.body.instantApproval) {
          refused += 1;
          throw new Error(`the rule did not decide: ${JSON.stringify(view.body.instantApproval)}`);
        }
      }
    };
    await application(); // warm-up: compiles, connects, folds the first case
    timelines.length = 0;
    polls = 0;
    const stopProfile = PROFILE ? await startProfile() : null;
    const stopCounting = PROFILE ? (engine === 'pg' ? countQueries() : countPgliteQueries()) : null;
    const stopCountingRedis = PROFILE && engine === 'pg' ? countRedisCommands() : null;
    const elu0 = performance.eventLoopUtilization();
    const run = await runFor(CLIENTS, DURATION_MS, application);
    const elu = performance.eventLoopUtilization(elu0);
    const profile = stopProfile ? summarize(await stopProfile(), PROFILE_CONCERNS) : null;
    const queries = stopCounting?.() ?? [];
    const redisCommands = stopCountingRedis?.() ?? [];

    // Same-run baseline: the raw append rate of the same event store, single events to new streams.
    const store = errand.engine.stores.eventStore;
    const baseline = await runFor(CLIENTS, Math.min(DURATION_MS, 5000), async () => {
      const id = randomUUID();
      await store.append(caseStream(`bench-${id}`), [{
        type: 'BenchAppended',
        data: { n: 1 },
        metadata: { eventId: id, schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: id, causationId: id, actor: { kind: 'system', id: 'bench' }, commandId: id },
      }], { expectedRevision: 'no_stream' });
    });

    const label = engine === 'pg' ? 'PostgreSQL + Redis' : 'embedded (PGlite, in-process queue)';
    const rows = [
      measurement(`raw append, ${label}`, baseline, { unit: 'appends/s' }),
      measurement(`秒批 submit → certificate, ${label}`, run, { unit: 'cases/s', baseline: `raw append, ${label}` }),
    ];
    const at = (t: Timeline, type: string, last = false) => (last ? t.filter((e) => e.type === type).at(-1)?.at : t.find((e) => e.type === type)?.at);
    const phase = (name: string, values: number[]) => {
      const ok = values.filter(Number.isFinite);
      return `| ${name} | ${percentile(ok, 50).toFixed(0)} | ${percentile(ok, 99).toFixed(0)} |`;
    };
    const phases = [
      `#### Where the time goes, ${label} (event timestamps, ms; ${timelines.length} cases, ${refused} referred)`,
      '',
      '| phase | p50 | p99 |',
      '| --- | ---: | ---: |',
      phase('submitted → accepted by the platform (reactor, timer job)', timelines.map((t) => ms(at(t, 'ApplicationSubmitted'), at(t, 'CaseAccepted')))),
      phase('accepted → first evidence recorded (reactor, queue, gateway, append)', timelines.map((t) => ms(at(t, 'CaseAccepted'), at(t, 'EvidenceReceived')))),
      phase('first → last evidence recorded', timelines.map((t) => ms(at(t, 'EvidenceReceived'), at(t, 'EvidenceReceived', true)))),
      phase('last evidence → certificate (same append)', timelines.map((t) => ms(at(t, 'EvidenceReceived', true), at(t, 'CertificateIssued')))),
      phase('submitted → certificate, in the log', timelines.map((t) => ms(at(t, 'ApplicationSubmitted'), at(t, 'CertificateIssued')))),
      '',
      `This process: ${((run.clientCpuMs ?? 0) / 1000 / run.seconds).toFixed(2)} cores busy, event loop ${(elu.utilization * 100).toFixed(0)}% utilised; ` +
        `${(polls / Math.max(1, run.ops)).toFixed(1)} polls per case; load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}.`,
      ...(profile
        ? [
            '',
            `CPU profile (${profile.totalMs.toFixed(0)} ms busy, ${(profile.totalMs / Math.max(1, run.ops)).toFixed(1)} ms per case):`,
            '',
            '| concern | ms | share |',
            '| --- | ---: | ---: |',
            ...profile.byConcern.map((c) => `| ${c.name} | ${c.ms.toFixed(0)} | ${(c.share * 100).toFixed(1)}% |`),
            '',
            '| function (self) | ms | share |',
            '| --- | ---: | ---: |',
            ...profile.byFunction.map((c) => `| ${c.name.replace(/\|/g, '/')} | ${c.ms.toFixed(0)} | ${(c.share * 100).toFixed(1)}% |`),
          ]
        : []),
      ...(queries.length
        ? [
            '',
            `${engine === 'pg' ? 'PostgreSQL' : 'PGlite'} statements per case (${(queries.reduce((n, q) => n + q.count, 0) / Math.max(1, run.ops)).toFixed(1)} in all), Redis commands per case (${(redisCommands.reduce((n, q) => n + q.count, 0) / Math.max(1, run.ops)).toFixed(1)} in all):`,
            '',
            '| statement | per case |',
            '| --- | ---: |',
            ...queries.slice(0, 20).map((q) => `| ${q.statement.replace(/\|/g, '/')} | ${(q.count / Math.max(1, run.ops)).toFixed(2)} |`),
            ...redisCommands.slice(0, 12).map((q) => `| redis ${q.statement} | ${(q.count / Math.max(1, run.ops)).toFixed(2)} |`),
          ]
        : []),
    ].join('\n');
    return { rows, phases };
  } finally {
    await errand.stop();
  }
}

export async function run(): Promise<void> {
  console.log(machineLine({ clients: String(CLIENTS), 'gateway delay': `${GATEWAY_DELAY_MS} ms`, poll: `${POLL_MS} ms${BACKOFF ? ', backing off to 1/4 of the wait' : ' fixed'}`, duration: `${DURATION_MS} ms` }));
  const rows: Measurement[] = [];
  const phases: string[] = [];
  for (const engine of ENGINES) {
    const result = await oneEngine(engine);
    rows.push(...result.rows);
    phases.push(result.phases);
    const cases = result.rows[1]!;
    console.log(`  ${engine}: ${cases.perSecond.toFixed(1)} cases/s (target ${TARGETS[engine] ?? '-'}), p50 ${cases.p50Ms.toFixed(0)} ms, p99 ${cases.p99Ms.toFixed(0)} ms`);
  }
  console.log(`\n${markdownTable('秒批: submit to certificate over HTTP (3 evidence items per case)', rows)}\n`);
  console.log(phases.join('\n\n'));
}
