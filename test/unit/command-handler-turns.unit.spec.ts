import { expect } from 'chai';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler, type CaseEventLog } from '../../workflows/index.ts';
import { INSTANT, SYSTEM, citizen, environmentFor } from '../support/case-fixtures.ts';

const CASE = '5ee05ee0-0000-4000-8000-0000000070a5';
const label = (en: string) => ({ 'zh-CN': en, en });

/** Three items from three departments, decided by rule: what the 秒批 bench applies for. */
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

/** An event log whose reads and appends each take a turn of the event loop, counting appends refused for revision. */
function slowLog(): CaseEventLog & { all: RecordedEvent[]; refused: number } {
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const log = {
    all: [] as RecordedEvent[],
    refused: 0,
    async readStream(stream: string, options?: { fromRevision?: bigint }) {
      await tick();
      return log.all.filter((e) => e.streamId === stream && e.revision >= (options?.fromRevision ?? 0n));
    },
    async append(stream: string, events: NewEvent[], options: { expectedRevision: 'no_stream' | bigint }) {
      await tick();
      const head = BigInt(log.all.filter((e) => e.streamId === stream).length) - 1n;
      const expected = options.expectedRevision === 'no_stream' ? -1n : options.expectedRevision;
      if (expected !== head) {
        log.refused += 1;
        throw new WrongExpectedVersionError(stream, expected.toString(), head);
      }
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

describe('command handler: commands for one case take turns in a process', () => {
  it('given a case fetching three items, when their outcomes arrive at once, then each is recorded on its first append (no lost race) and the last one approves', async () => {
    const log = slowLog();
    const handler = createCommandHandler({ events: log, services: { get: () => THREE, latest: () => THREE }, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE.id, form: {} });
    await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    const results = await Promise.all([
      handler.handle(outcome('household', 'household-registration', 'PSB', { citizenId: 'X' })),
      handler.handle(outcome('insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' })),
      handler.handle(outcome('property', 'property-ownership', 'NRB', { propertiesOwned: 0 })),
    ]);
    expect(log.refused, 'appends refused for a stale revision').to.equal(0);
    expect(results.map((r) => r.events[0]!.type)).to.deep.equal(['EvidenceReceived', 'EvidenceReceived', 'EvidenceReceived']);
    expect(results[2]!.status).to.equal('closed');
    expect(log.all.filter((e) => e.type === 'CertificateIssued')).to.have.length(1);
  });

  it('given a command that fails, when the next command for the case comes, then it still runs; other cases never wait', async () => {
    const log = slowLog();
    const handler = createCommandHandler({ events: log, services: { get: () => THREE, latest: () => THREE }, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE.id, form: {} });
    const refused = handler.handle({ type: 'ApproveCase', commandId: 'too-early', caseId: CASE, actor: citizen() });
    const submitted = handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    let error: unknown = null;
    await refused.catch((e: unknown) => (error = e));
    expect(error).to.not.equal(null);
    expect((await submitted).status).to.equal('gatheringEvidence');
  });
});
