import { expect } from 'chai';
import fc from 'fast-check';
import type { RecordedEvent } from '../../domain/events/index.ts';
import { createViewProjectors } from '../../projections/views/index.ts';
import { SCENARIO_NAMES, calendar, citizenNo, services } from './projection-views-scenarios.ts';
import { accessAppend, applyBatch, applyInChunks, logOf, MemoryViews, project } from './projection-views-support.ts';

const projectors = createViewProjectors({ services, calendars: () => calendar });

/** A few cases on different paths and start days, some stopped mid-flight, plus data accesses, interleaved by time. */
const logs = fc
  .record({
    cases: fc.array(
      fc.record({ name: fc.constantFrom(...SCENARIO_NAMES), start: fc.integer({ min: 0, max: 15 }), applicant: fc.integer({ min: 1, max: 4 }), stop: fc.option(fc.integer({ min: 1, max: 12 })) }),
      { minLength: 1, maxLength: 5 },
    ),
    accesses: fc.array(fc.record({ applicant: fc.integer({ min: 1, max: 4 }), day: fc.integer({ min: 2, max: 27 }) }), { maxLength: 3 }),
  })
  .map(({ cases, accesses }) =>
    logOf(
      cases.map((c, i) => ({
        name: c.name, caseId: `case-${i}`, startOn: calendar.addDays('2026-03-02', c.start, 'working'), applicantId: citizenNo(c.applicant), stopAfter: c.stop ?? undefined,
      })),
      accesses.map((a, i) => accessAppend(citizenNo(a.applicant), `2026-03-${String(a.day).padStart(2, '0')}T01:00:00.000Z`, { commandId: `access-${i}` })),
    ),
  );

/** At-least-once delivery: copies of earlier events turn up again later in the stream. */
function withRedeliveries(log: RecordedEvent[], picks: Array<{ from: number; delay: number }>): RecordedEvent[] {
  const stream = [...log];
  for (const { from, delay } of picks) {
    const index = from % log.length;
    const original = stream.indexOf(log[index]!);
    stream.splice(Math.min(stream.length, original + 1 + delay), 0, log[index]!);
  }
  return stream;
}

const redeliveries = fc.array(fc.record({ from: fc.nat(), delay: fc.nat({ max: 40 }) }), { minLength: 1, maxLength: 8 });
const chunkSizes = fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 30 });

describe('view projections: delivery properties', function () {
  this.timeout(120_000);

  for (const projector of projectors) {
    describe(projector.name, () => {
      it('given any event delivered again later, the documents are the same as with single delivery', () => {
        fc.assert(
          fc.property(logs, redeliveries, chunkSizes, (log, picks, sizes) => {
            const once = project(projector, log).snapshot();
            const again = withRedeliveries(log, picks);
            expect(project(projector, again).snapshot()).to.deep.equal(once);
            const chunked = new MemoryViews();
            applyInChunks(projector, chunked, again, sizes);
            expect(chunked.snapshot()).to.deep.equal(once);
          }),
          { numRuns: 30 },
        );
      });

      it('given the log in random batches, each starting from the stored documents, the result equals a rebuild in one batch', () => {
        fc.assert(
          fc.property(logs, chunkSizes, (log, sizes) => {
            const rebuilt = project(projector, log).snapshot();
            const incremental = new MemoryViews();
            applyInChunks(projector, incremental, log, sizes);
            expect(incremental.snapshot()).to.deep.equal(rebuilt);
          }),
          { numRuns: 30 },
        );
      });

      it('names every document it reads, and writes only its own collections', () => {
        // applyBatch throws on either; one event per batch leaves no earlier change to hide an unnamed read.
        fc.assert(
          fc.property(logs, (log) => {
            const store = new MemoryViews();
            for (const event of log) applyBatch(projector, store, [event]);
          }),
          { numRuns: 10 },
        );
      });
    });
  }
});
