import { expect } from 'chai';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { compareCheckpoints, formatCheckpoint, parseCheckpoint, type RecordedEvent } from '../../domain/events/index.ts';
import { canonicalJson } from '../../projections/audit/index.ts';
import { createProjectionRunner, physicalCollection, type ProjectionRunner } from '../../projections/index.ts';
import { AUDIT_TRAIL, createViewProjectors } from '../../projections/views/index.ts';
import { AUDIT_TRAIL_VERSION } from '../../projections/views/audit-trail/index.ts';
import { runAuditCommand } from '../../scripts/audit.ts';
import { createTestDatabase, testPool, type TestDatabase } from '../support/postgres.ts';
import { SCENARIO_NAMES, calendar, citizenNo, playCase, services } from '../unit/projection-views-scenarios.ts';
import { newEventsOf, project } from '../unit/projection-views-support.ts';
import { readAllEvents } from '../support/read-all.ts';

const WRITERS = 8;
const CASES_PER_WRITER = 40;
const CATCH_UP_BOUND_MS = 60_000;

/** One writer: its own cases, each command appended as the command handler would, with the expected revision. */
async function writer(store: EventStore, index: number): Promise<number> {
  let appended = 0;
  for (let n = 0; n < CASES_PER_WRITER; n += 1) {
    const name = SCENARIO_NAMES[(index + n) % SCENARIO_NAMES.length]!;
    const caseId = `w${index}-case-${n}`;
    let revision = -1n;
    for (const append of playCase(name, caseId, { startOn: calendar.addDays('2026-03-02', n % 10, 'working'), applicantId: citizenNo(index * 50 + n) })) {
      const events = newEventsOf(append);
      const result = await store.append(append.streamId, events, { expectedRevision: revision === -1n ? 'no_stream' : revision });
      revision = result.nextRevision;
      appended += events.length;
    }
  }
  return appended;
}

/** Every document of a collection as canonical JSON, sorted: stored documents need not carry their own id. */
async function storedDocs(readStore: ReadStore, collection: string, version: number): Promise<string[]> {
  const { items } = await readStore.find(physicalCollection(collection, version), {});
  return items.map(canonicalJson).sort();
}

describe('view projections through the runner on PostgreSQL', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let eventStore: EventStore;
  let readStore: ReadStore;
  let runner: ProjectionRunner;
  const projectors = createViewProjectors({ services, calendars: () => calendar });
  const lagSamples: number[] = [];
  let catchUpMs = 0;
  let log: RecordedEvent[] = [];

  before(async () => {
    database = await createTestDatabase('views');
    eventStore = await createPostgresEventStore({ connectionString: database.url, poolSize: WRITERS + 2 });
    readStore = createPostgresReadStore({ connectionString: database.url });
    runner = createProjectionRunner({ eventStore, readStore, projectors, idleMs: 10, retryDelayMs: 50, dropDelayMs: 0 });
    await runner.start();

    const pool = testPool(database.url, { max: 1 });
    let writing = true;
    const sampler = (async () => {
      // Backlog: events stored but not yet applied by the slowest projection, sampled while the writers run.
      while (writing) {
        const statuses = await runner.status();
        const slowest = statuses.map((s) => parseCheckpoint(s.checkpoint)).reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b));
        const { rows } = await pool.query<{ behind: string }>(
          'SELECT count(*)::text AS behind FROM events WHERE global_position > event_store_position_after($1::bigint, $2::bigint)',
          [slowest.commit.toString(), slowest.prepare.toString()],
        );
        lagSamples.push(Number(rows[0]!.behind));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    let appended = 0;
    try {
      appended = (await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(eventStore, i)))).reduce((a, b) => a + b, 0);
    } finally {
      writing = false;
      await sampler;
      await pool.end();
    }

    log = await readAllEvents(eventStore);
    expect(log).to.have.length(appended);
    const head = log.at(-1)!.checkpoint;
    const started = Date.now();
    for (;;) {
      const statuses = await runner.status();
      if (statuses.every((s) => compareCheckpoints(parseCheckpoint(s.checkpoint), head) >= 0)) break;
      if (Date.now() - started > CATCH_UP_BOUND_MS) throw new Error(`projections did not reach ${head.commit}/${head.prepare}: ${JSON.stringify(statuses)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    catchUpMs = Date.now() - started;
  });

  after(async () => {
    await runner?.stop();
    await readStore?.close();
    await eventStore?.close();
    await database?.drop();
  });

  it('catches up with 8 writers appending, the backlog staying bounded', () => {
    const max = Math.max(0, ...lagSamples);
    console.log(`      ${log.length} events from ${WRITERS} writers; backlog max ${max} events over ${lagSamples.length} samples; caught up ${catchUpMs} ms after the last append`);
    // The projections work while the writers do: the backlog never reaches the whole log, and the end comes soon after.
    expect(lagSamples.length).to.be.greaterThan(0);
    expect(max).to.be.below(log.length);
    expect(catchUpMs).to.be.below(CATCH_UP_BOUND_MS);
  });

  for (const projector of createViewProjectors({ services, calendars: () => calendar })) {
    it(`${projector.name}: the documents the runner wrote equal a rebuild of the stored log in one batch`, async () => {
      const expected = project(projector, log);
      for (const collection of projector.collections) {
        const want = Object.values(expected.all(collection)).map(canonicalJson).sort();
        // The first run serves the projector's own version.
        expect(await storedDocs(readStore, collection, projector.version), collection).to.deep.equal(want);
      }
    });
  }

  it('audit verify: reports the chain intact, then the first broken link once a stored entry is deleted or altered', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } };
    expect(await runAuditCommand(['verify'], { readStore, ...io })).to.equal(0);
    expect(out.pop()).to.equal(`chain intact: ${log.length} entries\n`);

    const pool = testPool(database.url, { max: 1 });
    const table = physicalCollection(AUDIT_TRAIL, AUDIT_TRAIL_VERSION);
    try {
      await pool.query(`DELETE FROM read_docs WHERE collection = $1 AND (doc->>'seq')::int = 40`, [table]);
      expect(await runAuditCommand(['verify'], { readStore, ...io })).to.equal(1);
      expect(out.pop()).to.match(/^chain broken at seq 41 \(id [0-9a-f-]{36}\): entries 40\.\.40 are missing; 39 entries before it are intact\n$/);
      await pool.query(`UPDATE read_docs SET doc = jsonb_set(doc, '{actorId}', '"someone-else"') WHERE collection = $1 AND (doc->>'seq')::int = 7`, [table]);
      expect(await runAuditCommand(['verify', '--json'], { readStore, ...io })).to.equal(1);
      expect(JSON.parse(out.pop()!)).to.deep.include({ ok: false, checked: 6 });
    } finally {
      await pool.end();
    }
  });

  // Rebuild equals incremental. Runs last: the audit test above damaged version 1 of the audit trail on purpose.
  const STREAM_SCOPED = ['case-view', 'citizen-cases', 'work-queue'];
  for (const projector of createViewProjectors({ services, calendars: () => calendar })) {
    const how = STREAM_SCOPED.includes(projector.name) ? 'case by case' : 'in log order';
    it(`${projector.name}: rebuilt ${how} into the next version, the documents equal those of the live run`, async () => {
      const phases = new Set<string>();
      const result = await runner.rebuild(projector.name, (p) => phases.add(p.phase));
      const next = projector.version + 1;
      expect(result).to.deep.include({ version: next, checkpoint: formatCheckpoint(log.at(-1)!.checkpoint) });
      expect(phases.has('by-stream')).to.equal(STREAM_SCOPED.includes(projector.name));
      const expected = project(projector, log);
      for (const collection of projector.collections) {
        const want = Object.values(expected.all(collection)).map(canonicalJson).sort();
        expect(await storedDocs(readStore, collection, next), collection).to.deep.equal(want);
      }
    });
  }
});
