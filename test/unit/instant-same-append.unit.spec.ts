import { expect } from 'chai';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler, type CaseEventLog } from '../../workflows/index.ts';
import { INSTANT, citizen, environmentFor } from '../support/case-fixtures.ts';

const CASE = '5ee05ee0-0000-4000-8000-00000000a11c';

/** The two operations the handler needs, over an array, counting appends: one submission must be one write. */
function memoryLog(): CaseEventLog & { all: RecordedEvent[]; appends: number } {
  const log = {
    all: [] as RecordedEvent[],
    appends: 0,
    async readStream(stream: string, options?: { fromRevision?: bigint }) {
      return log.all.filter((e) => e.streamId === stream && e.revision >= (options?.fromRevision ?? 0n));
    },
    async append(stream: string, events: NewEvent[], options: { expectedRevision: 'no_stream' | bigint }) {
      const head = BigInt(log.all.filter((e) => e.streamId === stream).length) - 1n;
      if ((options.expectedRevision === 'no_stream' ? -1n : options.expectedRevision) !== head) throw new Error('unexpected revision in this test');
      log.appends += 1;
      for (const [i, event] of events.entries()) {
        const position = BigInt(log.all.length);
        log.all.push({ ...event, streamId: stream, revision: head + 1n + BigInt(i), position, checkpoint: { commit: 0n, prepare: position } });
      }
      return { nextRevision: head + BigInt(events.length), position: BigInt(log.all.length - 1) };
    },
  };
  return log;
}

describe('秒批: the platform accepts in the same append as the submission', () => {
  const services = { get: () => INSTANT, latest: () => INSTANT };
  const given = async (cacheSize = 0) => {
    const log = memoryLog();
    const handler = createCommandHandler({ events: log, services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor, cacheSize });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: INSTANT.id, form: {} });
    return { log, handler };
  };

  it('given an instant-approval draft, when the citizen submits, then one append holds the submission (the citizen\'s) and the acceptance and evidence request (the platform\'s)', async () => {
    const { log, handler } = await given();
    const before = log.appends;
    const result = await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    expect(log.appends - before).to.equal(1);
    expect(result.status).to.equal('gatheringEvidence');
    const written = log.all.filter((e) => e.metadata.commandId === 'submit');
    expect(written.map((e) => [e.type, e.metadata.actor.kind, e.metadata.actor.id])).to.deep.equal([
      ['ApplicationSubmitted', 'citizen', citizen().id],
      ['CaseAccepted', 'system', 'platform'],
      ['EvidenceRequested', 'system', 'platform'],
    ]);
    expect(new Set(written.map((e) => e.metadata.eventId)).size, 'distinct event ids').to.equal(3);
    expect(written.every((e) => e.metadata.causationId === 'submit')).to.equal(true);
  });

  for (const cacheSize of [0, 10]) {
    it(`given the submission was stored, when it is retried (cache ${cacheSize ? 'on' : 'off'}), then nothing is written twice and the answer is the same case`, async () => {
      const { log, handler } = await given(cacheSize);
      await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
      const stored = log.all.length;
      const again = await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
      expect(again.replayed).to.equal(true);
      expect(again.status).to.equal('gatheringEvidence');
      expect(log.all.length).to.equal(stored);
    });
  }

  it('given the same-append acceptance, when an acceptance timer (from a job enqueued before the upgrade) fires, then it records nothing', async () => {
    const { log, handler } = await given();
    await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    const stored = log.all.length;
    const timer = await handler.handle({ type: 'AcceptOnSubmission', commandId: `t-${CASE}-autoaccept-1`, caseId: CASE, actor: { kind: 'system', id: 'platform' } });
    expect(timer.events).to.deep.equal([]);
    expect(log.all.length).to.equal(stored);
    expect(log.all.filter((e) => e.type === 'CaseAccepted')).to.have.length(1);
  });
});
