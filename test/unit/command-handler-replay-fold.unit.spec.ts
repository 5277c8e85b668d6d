import { expect } from 'chai';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { createCommandHandler } from '../../workflows/index.ts';
import { citizen, environmentFor } from '../support/case-fixtures.ts';
import { evidenceOutcome, memoryCaseLog, THREE_ITEMS } from '../support/memory-case-log.ts';

/**
 * A command whose append the store answers as a replay (its events were stored by another process meanwhile) must not
 * leave the handler holding a fold made up from its own decision: the events stored around the original may differ,
 * and the next command would be decided, and accepted at that revision, on a fold the log never had.
 */
const CASE = '5ee05ee0-0000-4000-8000-00000000f01d';

describe('command handler: a replay answered by the store', () => {
  it('given a redelivered outcome stored by another process together with another item while this one decided, when the last item comes here, then the case is decided on all three', async () => {
    const log = memoryCaseLog();
    const services = { get: () => THREE_ITEMS, latest: () => THREE_ITEMS };
    const deps = { services, clock: new SimulatedClock('2026-03-02T02:00:00Z'), environment: environmentFor };
    const other = createCommandHandler({ ...deps, events: log });
    await other.handle({ type: 'DraftApplication', commandId: 'draft', caseId: CASE, actor: citizen(), serviceId: THREE_ITEMS.id, form: {} });
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
            await other.handle(evidenceOutcome(CASE, 'household', 'household-registration', 'PSB', { citizenId: 'X' }));
            await other.handle(evidenceOutcome(CASE, 'insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' }));
          }
          return log.append(stream, events, options);
        },
      },
    });
    const replay = await here.handle(evidenceOutcome(CASE, 'insurance', 'social-insurance', 'HRSS', { insuredStatus: 'active' }));
    expect(replay.replayed).to.equal(true);
    const last = await here.handle(evidenceOutcome(CASE, 'property', 'property-ownership', 'NRB', { propertiesOwned: 0 }));
    // On the stored state all three items are in: the case is approved and closed.
    expect(last.status).to.equal('closed');
    const fresh = createCommandHandler({ ...deps, events: log });
    expect((await fresh.load(CASE)).status).to.equal(last.status);
  });
});
