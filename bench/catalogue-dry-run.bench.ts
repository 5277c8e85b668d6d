import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import type { RecordedEvent } from '../domain/events/index.ts';
import { loadDataCatalogue } from '../adapters/files/index.ts';
import { countCase, dryRunCase, emptyTotals, foldCase } from '../workflows/index.ts';
import { SCENARIOS, SCENARIO_NAMES, calendar } from '../test/unit/projection-views-scenarios.ts';
import { caseAppend, templates } from './support/case-log.ts';
import { machineLine } from './support/machine.ts';
import { accounted, measurement } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * The dry run's core over 100,000 recorded cases (BENCH_DRY_RUN_CASES): each case's events, as the workflow's own
 * decide() wrote them on nine paths (approved, supplement expired, contested, joint review, 秒批, preview refused,
 * commitment, deemed late, withdrawn), replayed through a draft of its service that shortens both limits, adds a
 * key material and tightens the instant-approval rule, so every kind of difference is looked for. Same-run
 * baseline: the plain fold of the same cases through their own version (what reading a case costs). Reading the
 * events from the store is the event store's own throughput, measured in eventstore.bench.ts.
 */
const CASES = Number(process.env.BENCH_DRY_RUN_CASES ?? 100_000);

function draftOf(definition: ServiceDefinition): ServiceDefinition {
  return {
    ...definition,
    version: definition.version + 1,
    limits: { ...definition.limits, statutoryDays: Math.max(1, definition.limits.statutoryDays - 2), promisedDays: Math.max(1, definition.limits.promisedDays - 1) },
    materials: [...definition.materials, { id: 'bench-extra', kind: 'upload', name: { 'zh-CN': '补充材料', en: 'Extra' }, key: true, mediaTypes: ['application/pdf'], maxBytes: 1_000_000 }],
    ...(definition.instantApproval
      ? { instantApproval: { conditions: [...definition.instantApproval.conditions, { material: definition.instantApproval.conditions[0]!.material, field: definition.instantApproval.conditions[0]!.field, op: 'eq' as const, value: 'no record says this' }] } }
      : {}),
  };
}

export async function run(): Promise<void> {
  const definitionOf = new Map(SCENARIO_NAMES.map((name) => [SCENARIOS[name].definition.id, SCENARIOS[name].definition as ServiceDefinition]));
  const drafts = new Map([...definitionOf].map(([id, def]) => [id, draftOf(def)]));
  const cases: Array<{ events: RecordedEvent[]; ranOn: ServiceDefinition; draft: ServiceDefinition }> = [];
  let position = 0n;
  for (let n = 0; n < CASES; n++) {
    const template = templates[n % templates.length]!;
    const events: RecordedEvent[] = [];
    template.appends.forEach((append, index) => {
      const made = caseAppend(n, template, append, index);
      for (const event of made.events) {
        position += 1n;
        events.push({
          type: event.type,
          data: event.data,
          metadata: { eventId: `${made.commandId}-${events.length}`, schemaVersion: 1, occurredAt: made.at, correlationId: made.commandId, causationId: null, actor: made.actor, commandId: made.commandId },
          streamId: made.streamId,
          revision: BigInt(events.length),
          position,
          checkpoint: { commit: position, position } as never,
        });
      }
    });
    const serviceId = String(events[0]!.data.serviceId);
    cases.push({ events, ranOn: definitionOf.get(serviceId)!, draft: drafts.get(serviceId)! });
  }
  const data = loadDataCatalogue();
  const deps = { calendar: () => calendar, dataItem: (id: string) => data.get(id) };
  const eventsTotal = cases.reduce((sum, c) => sum + c.events.length, 0);

  // Warm both paths (JIT, machine caches) before measuring.
  for (const c of cases.slice(0, 2000)) {
    foldCase(c.ranOn, c.events);
    dryRunCase(c.events, c.ranOn, c.draft, deps);
  }
  const fold = await accounted(async () => undefined, async (latencies) => {
    for (const c of cases) {
      const t0 = process.hrtime.bigint();
      foldCase(c.ranOn, c.events);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return cases.length;
  });
  const totals = emptyTotals();
  const dry = await accounted(async () => undefined, async (latencies) => {
    for (const c of cases) {
      const t0 = process.hrtime.bigint();
      countCase(totals, dryRunCase(c.events, c.ranOn, c.draft, deps));
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return cases.length;
  });
  console.log(machineLine({ cases: CASES.toLocaleString('en-US'), events: eventsTotal.toLocaleString('en-US') }));
  console.log('');
  console.log(markdownTable(`Dry run over ${CASES.toLocaleString('en-US')} recorded cases (in memory, one core)`, [
    measurement('plain fold (baseline)', fold, { unit: 'cases/s' }),
    measurement('dry run of a draft', dry, { unit: 'cases/s', baseline: 'plain fold (baseline)' }),
  ]));
  console.log('');
  console.log(`totals: ${JSON.stringify(totals)}`);
}
