import { randomUUID } from 'node:crypto';
import { caseStream } from '../domain/case/events.ts';
import { startErrand, type RunningErrand } from '../test/support/http-engine.ts';
import { machineLine } from './support/machine.ts';
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
 * INSTANT_BENCH_POLL_MS (default 25), INSTANT_BENCH_ENGINES (pg,embedded).
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const CLIENTS = Number(process.env.INSTANT_BENCH_CLIENTS ?? 32);
const GATEWAY_DELAY_MS = Number(process.env.INSTANT_BENCH_DELAY_MS ?? 20);
const POLL_MS = Number(process.env.INSTANT_BENCH_POLL_MS ?? 25);
const ENGINES = (process.env.INSTANT_BENCH_ENGINES ?? 'pg,embedded').split(',').map((e) => e.trim());
const TARGETS: Record<string, number> = { pg: 300, embedded: 50 };

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
const ms = (from: string | undefined, to: string | undefined) => (from && to ? Date.parse(to) - Date.parse(from) : Number.NaN);

async function oneEngine(engine: string): Promise<{ rows: Measurement[]; phases: string }> {
  const errand: RunningErrand = await startErrand(`bi_${engine}`, { embedded: engine === 'embedded', gatewayDelayMs: GATEWAY_DELAY_MS });
  try {
    const admin = await errand.signIn('admin');
    const published = await errand.api(admin, 'POST', '/admin/services', SERVICE);
    if (published.status !== 201) throw new Error(`publishing the bench service: ${published.status} ${JSON.stringify(published.body)}`);
    // Catalogue changes are reviewed: a second administrator approves, and a new service has no history to dry-run.
    const version = `/admin/catalogue/services/${SERVICE.id}/versions/${SERVICE.version}`;
    await errand.api(await errand.signIn('admin-reviewer'), 'POST', `${version}/approve`, {});
    const inForce = await errand.api(admin, 'POST', `${version}/publish`, { override: { reason: 'a new service for the bench: no history' } });
    if (inForce.status !== 200) throw new Error(`publishing the bench service: ${inForce.status} ${JSON.stringify(inForce.body)}`);
    const citizen = await errand.signIn('citizen-instant-approval');
    const timelines: Timeline[] = [];
    let refused = 0;

    const application = async () => {
      const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: SERVICE.id, form: {} });
      if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
      const caseId = String(draft.body.caseId);
      const submitted = await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
      if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      const started = Date.now();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const view = await errand.api(citizen, 'GET', `/cases/${caseId}`);
        if (view.status === 200 && view.body.certificate) {
          timelines.push(view.body.timeline as Timeline);
          return;
        }
        if (view.status === 200 && view.body.instantApproval) {
          refused += 1;
          throw new Error(`the rule did not decide: ${JSON.stringify(view.body.instantApproval)}`);
        }
        if (Date.now() - started > 60_000) throw new Error(`case ${caseId} got no certificate within 60 s`);
      }
    };
    await application(); // warm-up: compiles, connects, folds the first case
    timelines.length = 0;
    const run = await runFor(CLIENTS, DURATION_MS, application);

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
      phase('accepted → last evidence recorded (queue, gateways, append)', timelines.map((t) => ms(at(t, 'CaseAccepted'), at(t, 'EvidenceReceived', true)))),
      phase('last evidence → certificate (same append)', timelines.map((t) => ms(at(t, 'EvidenceReceived', true), at(t, 'CertificateIssued')))),
      phase('submitted → certificate, in the log', timelines.map((t) => ms(at(t, 'ApplicationSubmitted'), at(t, 'CertificateIssued')))),
    ].join('\n');
    return { rows, phases };
  } finally {
    await errand.stop();
  }
}

export async function run(): Promise<void> {
  console.log(machineLine({ clients: String(CLIENTS), 'gateway delay': `${GATEWAY_DELAY_MS} ms`, poll: `${POLL_MS} ms`, duration: `${DURATION_MS} ms` }));
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
