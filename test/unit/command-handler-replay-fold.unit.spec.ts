import { expect } from 'chai';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler, type CaseEventLog } from '../../workflows/index.ts';
import { INSTANT, SYSTEM, citizen, environmentFor } from '../support/case-fixtures.ts';

/**
 * A command whose append the store answers as a replay (its events were stored by another process meanwhile) must not
 * leave the handler holding a fold made up from its own decision: the events stored around the original may differ,
 * and the next command would be decided, and accepted at that revision, on a fold the log never had.
 */
const CASE = '5ee05ee0-0000-4000-8000-00000000f01d';
const label = (en: string) => ({ 'zh-CN': en, en });
const THREE: ServiceDefinition = {
  ...INSTANT,
  id: 'test-housing-eligibility',
  materials: [
    { id: 'household', kind: 'evidence', name: label('Household'), key: true, dataItem: 'household-registration', fields: ['citizenId'] },
    { id: 'insurance', kind: 'evidence', name: label('Insurance'), key: true, dataItem: 'social-insurance', fields: ['insuredStatus'] },
    { id: 'property', kind: 'evidence', name: label('Property'), key: true, dataItem: 'property-ownership', fields: ['propertiesOwned'] },
  ],
  instantApproval: { conditions: [{ material: 'insurance', field: 'insuredStatus', op: 'eq', value: 'active' }] },
};

/** An in-memory log that, like the SQL stores, answers an append whose event ids are all stored already as a replay. */
function replayingLog(): CaseEventLog & { all: RecordedEvent[] } {
  const log = {
    all: [] as RecordedEvent[],
    async readStream(stream: string, options?: { fromRevision?: bigint }) {
      return log.all.filter((e) => e.streamId === stream && e.revision >= (options?.fromRevision ?? 0n));
    },
    async append(stream: string, events: NewEvent[], options: { expectedRevision: 'no_stream' | bigint }) {
      const stored = log.all.filter((e) => events.some((n) => n.metadata.eventId === e.metadata.eventId));
      if (stored.length === events.length) {
        const last = stored.at(-1)!;
        return { nextRevision: last.revision, position: last.position, replayed: true };
      }
      const head = BigInt(log.all.filter((e) => e.streamId === stream).length) - 1n;
      const expected = options.expectedRevision === 'no_stream' ? -1n : options.expectedRevision;
      if (expected !== head) throw new WrongExpectedVersionError(stream, expected.toString(), head);
      for (const [i, event] of events.entries()) {
        const position = BigInt(log.all.length);
        log.all.push({ ...event, streamId: stream, revision: head + 1n + BigInt(i), position, checkpoint: { commit: 0n, prepare: position } });
      }
      return { nextRevision: head + BigInt(events.length), position: BigInt(log.all.length - 1) };
    },
  };
  return log;
}

const outcome = (materialId: string, dataItem: string, provider: string, fields: Record<string, unknown>): CaseCommand => ({
  type: 'RecordEvidence', commandId: `ev-${CASE}-${materialId}-r`, caseId: CASE, actor: SYSTEM,
  materialId, dataItem, provider, fields, contentHash: 'h', retrievedAt: '2026-03-02T02:00:00Z', trustLevel: 'A',
});

describe('command handler: a replay answered by the store', () => {
  it('given a redelivered outcome stored by another process together with another item while this one decided, when the last item comes here, then the case is decided on all three', async () => {
    const log = replayingLog();
    const services = { get: () => THREE, latest: () => THREE };
    const deps = { services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor };
    const other = createCommandHandler({ ...deps, events: log });
    await other.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE.id, form: {} });
    await other.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    // This process reads the case, and while it decides, the other process records the household item and the same
    // (redelivered) insurance outcome: this process's append is then answered as a replay.
    let raced = false;
    const here = createCommandHandler({
      ...deps,
      events: {
        readStream: (stream, options) => log.readStream(stream, options),
        async append(stream, events, options) {
          if (!raced) {
            raced = true;
            await other.handle(outcome('household', 'household-registration', 'PSB', { citizenId: 'X' }));
            await other.handle(outcome('insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' }));
          }
          return log.append(stream, events, options);
        },
      },
    });
    const replay = await here.handle(outcome('insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' }));
    expect(replay.replayed).to.equal(true);
    const last = await here.handle(outcome('property', 'property-ownership', 'NRB', { propertiesOwned: 0 }));
    // On the stored state all three items are in: the case is approved and closed.
    expect(last.status).to.equal('closed');
    const fresh = createCommandHandler({ ...deps, events: log });
    expect((await fresh.load(CASE)).status).to.equal(last.status);
  });
});
