import pg from 'pg';
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
import { accounted, interleave, interleavedSlices, measurement, ratioInterval, sumRuns, type InterleavedCase, type Measurement, type ServerCpu, type TimedRun } from './support/measure.ts';
import { postgresServerCpu } from './support/server-cpu.ts';
import { markdownTable } from './support/table.ts';

/**
 * The cost of sealing personal data at the edge of the event store, in one run: the same realistic case logs
 * (bench/support/case-log.ts) appended by BENCH_PRIVACY_CLIENTS clients (default 8) and the case view rebuilt from
 * them (the real projector, the projection runner, PostgreSQL read store), on the plain store and through the
 * sealing store (XChaCha20-Poly1305 per event, one new row in subject_keys per case holding its records and evidence
 * keys, keys cached per process). Each side has its own database, so neither reads the other's rows.
 *
 * The host is shared and its speed drifts by a third within a minute, more than the thing measured: appends run in
 * BENCH_PRIVACY_SLICES interleaved slices of BENCH_PRIVACY_SLICE_MS per side (default 10 x 2,000 ms, after an untimed
 * warm-up slice each, the order turning every slice), rebuilds in BENCH_PRIVACY_ROUNDS pairs of rounds (default 3)
 * whose order flips every round, and each side's runs are summed, so both sides see the same background. CPU per event (this process, and the PostgreSQL backends of the two
 * databases) is reported beside the throughput, being steadier than wall time.
 */
const SLICES = Number(process.env.BENCH_PRIVACY_SLICES ?? 10);
const SLICE_MS = Number(process.env.BENCH_PRIVACY_SLICE_MS ?? 2000);
// In pairs: whichever side rebuilds second in a round ran up to a quarter slower than when it went first (five rounds
// read 0.84, 0.95, 0.65, 0.97, 0.71), so each side must go first as often as the other.
const ROUNDS = 2 * Number(process.env.BENCH_PRIVACY_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_PRIVACY_CLIENTS ?? 8);

const definitions = new Map<string, ServiceDefinition>();
for (const scenario of Object.values(SCENARIOS)) definitions.set(`${scenario.definition.id}@${scenario.definition.version}`, scenario.definition);
const services = { get: (id: string, version: number) => definitions.get(`${id}@${version}`), list: () => [...definitions.values()] };

type CaseAppends = Array<{ stream: string; events: NewEvent[] }>;

function appendsOf(n: number, prefix: string): CaseAppends {
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

/** One append per op: each client works through whole cases in order, taking the next case when its own is done. */
function appender(store: EventStore, prefix: string): InterleavedCase {
  let nextCase = 0;
  const cursors = Array.from({ length: CLIENTS }, () => ({ appends: [] as CaseAppends, index: 0 }));
  return {
    clients: CLIENTS,
    op: async (client) => {
      const cursor = cursors[client]!;
      if (cursor.index >= cursor.appends.length) {
        cursor.appends = appendsOf(nextCase++, prefix);
        cursor.index = 0;
      }
      const index = cursor.index++;
      const { stream, events } = cursor.appends[index]!;
      // A case's stream is opened with 'no_stream', as the engine does: on the sealing store its keys go with it.
      await store.append(stream, events, { expectedRevision: index === 0 ? 'no_stream' : 'any' });
      return events.length;
    },
  };
}


async function rebuildCaseView(eventStore: EventStore, url: string, serverCpu: ServerCpu): Promise<TimedRun> {
  const readStore = createPostgresReadStore({ connectionString: url, maxConnections: 4 });
  const runner = createProjectionRunner({ eventStore, readStore, projectors: [createCaseViewProjector({ services })], dropDelayMs: 0 });
  try {
    return await accounted(serverCpu, async (latenciesMs) => {
      let last = process.hrtime.bigint();
      const result = await runner.rebuild('case-view', () => {
        const now = process.hrtime.bigint();
        latenciesMs.push(Number(now - last) / 1e6);
        last = now;
      });
      return result.eventsProcessed;
    });
  } finally {
    await runner.stop();
    await readStore.close();
  }
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
    const probes = [new pg.Pool({ connectionString: plainDb.url, max: 1 }), new pg.Pool({ connectionString: sealedDb.url, max: 1 })];
    const cpus = probes.map((pool) => postgresServerCpu(pool));
    // Only one side runs at a time: the backends of both databases are what that side costs the server.
    const serverCpu: ServerCpu = async () => {
      const [a, b] = await Promise.all(cpus.map((cpu) => cpu()));
      return a === undefined || b === undefined ? undefined : a + b;
    };
    try {
      console.log(`appending, off and on interleaved: ${SLICES} slices of ${SLICE_MS} ms each (${CLIENTS} clients) ...`);
      const sides = [appender(plain, 'p'), appender(sealed, 'p')];
      // Untimed: both sides' code compiled and both databases' caches warm before the first timed slice.
      await interleave(sides, 1, 1000);
      const [offSlices, onSlices] = await interleavedSlices(sides, SLICES, SLICE_MS, serverCpu);
      const appendOff = measurement('append, encryption off', sumRuns(offSlices!), { unit: 'events/s' });
      const appendOn = measurement('append, encryption on', sumRuns(onSlices!), { unit: 'events/s', baseline: appendOff.label });
      console.log(`rebuilding the case view from each log, ${ROUNDS} rounds, the order flipped every round ...`);
      const rebuildOffRuns: TimedRun[] = [];
      const rebuildOnRuns: TimedRun[] = [];
      // Each rebuild starts from a checkpoint, so it does not pay for flushing the pages the one before it wrote.
      const settle = () => probes[0]!.query('CHECKPOINT').catch(() => undefined);
      for (let round = 0; round < ROUNDS; round += 1) {
        const off = async () => settle().then(async () => rebuildOffRuns.push(await rebuildCaseView(plain, plainDb.url, serverCpu)));
        // A fresh sealing store has an empty cache: each rebuild unwraps every case's keys from the table once.
        const on = async () => settle().then(async () => rebuildOnRuns.push(await rebuildCaseView(sealingEventStore(raw, { keys, marks, lookupSecret: master.lookupSecret }), sealedDb.url, serverCpu)));
        if (round % 2 === 0) await off().then(on);
        else await on().then(off);
      }
      const rebuildOff = measurement('case-view rebuild, encryption off', sumRuns(rebuildOffRuns), { unit: 'events/s' });
      const rebuildOn = measurement('case-view rebuild, encryption on (cold key cache)', sumRuns(rebuildOnRuns), { unit: 'events/s', baseline: rebuildOff.label });
      const rows: Measurement[] = [appendOff, appendOn, rebuildOff, rebuildOn];
      const perRound = rebuildOnRuns.map((r, i) => (r.ops / r.seconds / (rebuildOffRuns[i]!.ops / rebuildOffRuns[i]!.seconds)).toFixed(2));
      console.log(markdownTable(`PostgreSQL, appends ${SLICES} x ${SLICE_MS} ms interleaved, rebuilds ${ROUNDS} alternating rounds, each side summed`, rows));
      console.log(`ratios (on / off): append ${(appendOn.perSecond / appendOff.perSecond).toFixed(2)}, case-view rebuild ${(rebuildOn.perSecond / rebuildOff.perSecond).toFixed(2)} (rounds: ${perRound.join(', ')})`);
      // A round's order biases it (see ROUNDS): the rebuild's interval resamples pairs of rounds, one of each order.
      const roundPairs = (runs: TimedRun[]) => runs.flatMap((run, i) => (i % 2 === 0 ? [sumRuns([run, runs[i + 1]!])] : []));
      const shown = ({ low, high }: { low: number; high: number }) => `${low.toFixed(2)}-${high.toFixed(2)}`;
      console.log(
        `90% intervals (bootstrap): append ${shown(ratioInterval(onSlices!, offSlices!))} over ${SLICES} slice pairs, ` +
          `case-view rebuild ${shown(ratioInterval(roundPairs(rebuildOnRuns), roundPairs(rebuildOffRuns)))} over ${ROUNDS / 2} pairs of rounds`,
      );
    } finally {
      await Promise.all(probes.map((pool) => pool.end()));
      await plain.close();
      await raw.close();
      await keys.close();
    }
  } finally {
    await plainDb.drop();
    await sealedDb.drop();
  }
}
