import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { newMasterKeyFile, parseMasterKeys } from '../adapters/key-store/index.ts';
import { createPostgresKeyStore } from '../adapters/key-store/postgres/index.ts';
import { sealingEventStore } from '../adapters/privacy/sealing-event-store.ts';
import { createPostgresReadStore } from '../adapters/read-store/postgres/index.ts';
import { loadDataCatalogue } from '../adapters/files/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import type { NewEvent } from '../domain/events/index.ts';
import { catalogueMarks } from '../domain/privacy/personal-data.ts';
import { eventIdFor } from '../workflows/index.ts';
import { createProjectionRunner } from '../projections/index.ts';
import { createCaseViewProjector } from '../projections/views/case-view/index.ts';
import { SCENARIOS } from '../test/unit/projection-views-scenarios.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { caseAppend, templateOf } from './support/case-log.ts';
import { machineLine } from './support/machine.ts';
import { measurement, type Measurement, type TimedRun } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * The cost of sealing personal data at the edge of the event store, in one run: the same realistic case logs
 * (bench/support/case-log.ts) appended by 8 clients and the case view rebuilt from them (the real projector, the
 * projection runner, PostgreSQL read store), once on the plain store and once through the sealing store (AES-256-GCM
 * per event, one new subject key per case wrapped and stored in subject_keys, keys cached per process). Each side
 * has its own database, so neither reads the other's rows. BENCH_PRIVACY_CASES sets the cases per append round (default 1000), BENCH_PRIVACY_ROUNDS the rounds (default 3).
 */
const CASES = Number(process.env.BENCH_PRIVACY_CASES ?? 1000);
const CLIENTS = 8;
const ROUNDS = Number(process.env.BENCH_PRIVACY_ROUNDS ?? 3);

const best = (runs: TimedRun[]) => runs.reduce((a, b) => (b.ops / b.seconds > a.ops / a.seconds ? b : a));

const definitions = new Map<string, ServiceDefinition>();
for (const scenario of Object.values(SCENARIOS)) definitions.set(`${scenario.definition.id}@${scenario.definition.version}`, scenario.definition);
const services = { get: (id: string, version: number) => definitions.get(`${id}@${version}`), list: () => [...definitions.values()] };

function appendsOf(n: number, prefix: string): Array<{ stream: string; events: NewEvent[] }> {
  const template = templateOf(n);
  return template.appends.map((append, index) => {
    const a = caseAppend(n, template, append, index, prefix);
    return {
      stream: a.streamId,
      events: a.events.map((e, i) => ({
        type: e.type,
        data: e.data,
        metadata: { eventId: eventIdFor(a.commandId, i), schemaVersion: 1, occurredAt: a.at, correlationId: a.commandId, causationId: null, actor: a.actor, commandId: a.commandId },
      })),
    };
  });
}

async function appendAll(store: EventStore, prefix: string): Promise<TimedRun> {
  const latenciesMs: number[] = [];
  let events = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < CASES) {
      for (const [index, { stream, events: batch }] of appendsOf(next++, prefix).entries()) {
        const t0 = process.hrtime.bigint();
        // A case's stream is opened with 'no_stream', as the engine does: on the sealing store its keys go with it.
        await store.append(stream, batch, { expectedRevision: index === 0 ? 'no_stream' : 'any' });
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        events += batch.length;
      }
    }
  }));
  return { ops: events, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}

async function rebuildCaseView(eventStore: EventStore, url: string): Promise<TimedRun> {
  const readStore = createPostgresReadStore({ connectionString: url, maxConnections: 4 });
  const runner = createProjectionRunner({ eventStore, readStore, projectors: [createCaseViewProjector({ services })], dropDelayMs: 0 });
  const latenciesMs: number[] = [];
  let last = process.hrtime.bigint();
  const started = last;
  const result = await runner.rebuild('case-view', () => {
    const now = process.hrtime.bigint();
    latenciesMs.push(Number(now - last) / 1e6);
    last = now;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await runner.stop();
  await readStore.close();
  return { ops: result.eventsProcessed, seconds, latenciesMs };
}

export async function run(): Promise<void> {
  console.log(machineLine());
  const dataCatalogue = loadDataCatalogue();
  const marks = catalogueMarks({
    formField: (service, name) => services.get(service.serviceId, service.serviceVersion)?.form.find((f) => f.name === name),
    dataField: (item, name) => dataCatalogue.get(item)?.fields.find((f) => f.name === name),
  });
  const plainDb = await createTestDatabase('bench_privacy_off');
  const sealedDb = await createTestDatabase('bench_privacy_on');
  try {
    const plain = await createPostgresEventStore({ connectionString: plainDb.url, poolSize: 8 });
    const raw = await createPostgresEventStore({ connectionString: sealedDb.url, poolSize: 8 });
    const master = parseMasterKeys(newMasterKeyFile(), 'bench');
    const keys = await createPostgresKeyStore({ connectionString: sealedDb.url, wrapper: master.wrapper, maxConnections: 4 });
    const sealed = sealingEventStore(raw, { keys, marks, lookupSecret: master.lookupSecret, keysShareEventsDatabase: true });
    try {
      // The host is shared and loaded: off and on alternate, ROUNDS times each, and the best run of each side counts.
      console.log(`appending ${CASES} cases (${CLIENTS} clients) per round, off and on alternating, ${ROUNDS} rounds ...`);
      const offRuns: TimedRun[] = [];
      const onRuns: TimedRun[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        offRuns.push(await appendAll(plain, `r${round}`));
        onRuns.push(await appendAll(sealed, `r${round}`));
      }
      const appendOff = measurement('append, encryption off', best(offRuns), { unit: 'events/s' });
      const appendOn = measurement('append, encryption on', best(onRuns), { unit: 'events/s', baseline: appendOff.label });
      console.log('rebuilding the case view from each log, alternating ...');
      const rebuildOffRuns: TimedRun[] = [];
      const rebuildOnRuns: TimedRun[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        rebuildOffRuns.push(await rebuildCaseView(plain, plainDb.url));
        // A fresh process's cache is empty: each rebuild unwraps every case's keys from the table once.
        rebuildOnRuns.push(await rebuildCaseView(sealingEventStore(raw, { keys, marks, lookupSecret: master.lookupSecret }), sealedDb.url));
      }
      const rebuildOff = measurement('case-view rebuild, encryption off', best(rebuildOffRuns), { unit: 'events/s' });
      const rebuildOn = measurement('case-view rebuild, encryption on (cold key cache)', best(rebuildOnRuns), { unit: 'events/s', baseline: rebuildOff.label });
      const rows: Measurement[] = [appendOff, appendOn, rebuildOff, rebuildOn];
      console.log(markdownTable(`PostgreSQL, ${CASES} cases per append round, best of ${ROUNDS} alternating rounds`, rows));
      console.log(`ratios (on / off): append ${(appendOn.perSecond / appendOff.perSecond).toFixed(2)}, case-view rebuild ${(rebuildOn.perSecond / rebuildOff.perSecond).toFixed(2)}`);
    } finally {
      await plain.close();
      await raw.close();
      await keys.close();
    }
  } finally {
    await plainDb.drop();
    await sealedDb.drop();
  }
}
