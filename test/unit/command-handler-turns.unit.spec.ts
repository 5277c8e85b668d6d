import { expect } from 'chai';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler } from '../../workflows/index.ts';
import { citizen, environmentFor } from '../support/case-fixtures.ts';
import { evidenceOutcome, memoryCaseLog, THREE_ITEMS } from '../support/memory-case-log.ts';

const CASE = '5ee05ee0-0000-4000-8000-0000000070a5';

describe('command handler: commands for one case take turns in a process', () => {
  it('given a case fetching three items, when their outcomes arrive at once, then each is recorded on its first append (no lost race) and the last one approves', async () => {
    const log = memoryCaseLog({ slow: true });
    const handler = createCommandHandler({ events: log, services: { get: () => THREE_ITEMS, latest: () => THREE_ITEMS }, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE_ITEMS.id, form: {} });
    await handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    const results = await Promise.all([
      handler.handle(evidenceOutcome(CASE, 'household', 'household-registration', 'PSB', { citizenId: 'X' })),
      handler.handle(evidenceOutcome(CASE, 'insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' })),
      handler.handle(evidenceOutcome(CASE, 'property', 'property-ownership', 'NRB', { propertiesOwned: 0 })),
    ]);
    expect(log.refused, 'appends refused for a stale revision').to.equal(0);
    expect(results.map((r) => r.events[0]!.type)).to.deep.equal(['EvidenceReceived', 'EvidenceReceived', 'EvidenceReceived']);
    expect(results[2]!.status).to.equal('closed');
    expect(log.all.filter((e) => e.type === 'CertificateIssued')).to.have.length(1);
  });

  it('given a command that fails, when the next command for the case comes, then it still runs; other cases never wait', async () => {
    const log = memoryCaseLog({ slow: true });
    const handler = createCommandHandler({ events: log, services: { get: () => THREE_ITEMS, latest: () => THREE_ITEMS }, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor });
    await handler.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE_ITEMS.id, form: {} });
    const refused = handler.handle({ type: 'ApproveCase', commandId: 'too-early', caseId: CASE, actor: citizen() });
    const submitted = handler.handle({ type: 'SubmitApplication', commandId: 'submit', caseId: CASE, actor: citizen() });
    let error: unknown = null;
    await refused.catch((e: unknown) => (error = e));
    expect(error).to.not.equal(null);
    expect((await submitted).status).to.equal('gatheringEvidence');
  });
});
