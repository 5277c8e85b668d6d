import { expect } from 'chai';
import { loadServiceCatalogue } from '../../adapters/files/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { foldInMemory } from '../../projections/index.ts';
import { CASE_VIEW, createCaseViewProjector, type CaseView } from '../../projections/views/case-view/index.ts';
import { createCommandHandler, type CaseEventLog } from '../../workflows/index.ts';
import { citizen, clerk, environmentFor } from '../support/case-fixtures.ts';

const CASE = '5ee05ee0-0000-4000-8000-00000000c0de';
const FORM = { residenceAddress: '深圳市南山区1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' };

/** The two operations the handler needs, over an array: enough to see exactly what metadata a command writes. */
function memoryLog(): CaseEventLog & { all: RecordedEvent[] } {
  const all: RecordedEvent[] = [];
  return {
    all,
    async readStream(stream, options) {
      return all.filter((e) => e.streamId === stream && e.revision >= (options?.fromRevision ?? 0n));
    },
    async append(stream, events: NewEvent[], options) {
      const head = BigInt(all.filter((e) => e.streamId === stream).length) - 1n;
      if ((options.expectedRevision === 'no_stream' ? -1n : options.expectedRevision) !== head) throw new Error('unexpected revision in this test');
      for (const [i, event] of events.entries()) {
        const position = BigInt(all.length);
        all.push({ ...event, streamId: stream, revision: head + 1n + BigInt(i), position, checkpoint: { commit: 0n, prepare: position } });
      }
      return { nextRevision: head + BigInt(events.length), position: BigInt(all.length - 1) };
    },
  };
}

describe('seenRevision: the revision a decider was looking at', () => {
  const services = loadServiceCatalogue();
  const given = async () => {
    const log = memoryLog();
    const handler = createCommandHandler({ events: log, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor, cacheSize: 0 });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: 'residence-permit', form: FORM });
    await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    return { log, handler };
  };
  const supplement = (commandId: string): CaseCommand => ({
    type: 'RequestSupplement', commandId, caseId: CASE, actor: clerk('PSB'), items: [{ materialId: 'photo', note: '请上传照片' }],
  });
  const viewOf = (events: RecordedEvent[]) => {
    const projector = createCaseViewProjector({ services: { get: (id, version) => services.get(id, version) } });
    return foldInMemory(projector, events).get(`${CASE_VIEW}/${CASE}`) as unknown as CaseView;
  };

  it('given a clerk deciding with If-Match 1, then every event the command appends records seenRevision "1"', async () => {
    const { log, handler } = await given();
    const result = await handler.handle(supplement('ask'), { expectedRevision: 1n });
    const written = log.all.filter((e) => e.metadata.commandId === 'ask');
    expect(result.events.length).to.be.greaterThan(0);
    expect(written.map((e) => e.metadata.seenRevision)).to.deep.equal(written.map(() => '1'));
  });

  it('given a command without If-Match, then its events carry no seenRevision at all', async () => {
    const { log, handler } = await given();
    await handler.handle(supplement('ask-blind'));
    const written = log.all.filter((e) => e.metadata.commandId === 'ask-blind');
    expect(written.length).to.be.greaterThan(0);
    for (const event of written) expect(event.metadata).to.not.have.property('seenRevision');
  });

  it('given decisions with If-Match, then the case view names seenRevision in the decision entries only', async () => {
    const { log, handler } = await given();
    await handler.handle(supplement('ask'), { expectedRevision: 1n });
    const view = viewOf(log.all);
    const asked = view.timeline.find((entry) => entry.type === 'SupplementRequested')!;
    expect(asked.facts).to.include({ seenRevision: '1' });
    // The applicant's own steps are no decisions: nothing to open there.
    for (const entry of view.timeline.filter((e) => e.type !== 'SupplementRequested')) expect(entry.facts).to.not.have.property('seenRevision');
  });

  it('given a decision event written without If-Match, then its timeline entry has no seenRevision', async () => {
    const { log, handler } = await given();
    await handler.handle(supplement('ask-blind'));
    const asked = viewOf(log.all).timeline.find((entry) => entry.type === 'SupplementRequested')!;
    expect(asked.facts).to.not.have.property('seenRevision');
  });
});
