import { expect } from 'chai';
import { TIMER_QUEUE } from '../../adapters/reactors/case-jobs-reactor.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
const DAY_MS = 24 * 3600 * 1000;

/**
 * Administrative Licensing Law art. 32: no intake decision within 5 working days and the application counts as
 * accepted from the day it was received. Here the intake timer is late (its queue delay is real time, the engine's
 * clock is simulated), as when the timer worker was down past the limit.
 */
describe('an intake decision after the intake limit, its timer late, over HTTP (real PostgreSQL, Redis, BullMQ; simulated clock)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  const clock = new SimulatedClock(new Date());

  before(async () => {
    errand = await startErrand('intake-limit', { clock });
  });
  after(async () => errand?.stop());

  it('given the limit passed with nothing decided, when the clerk accepts, refuses or asks for a supplement, then each is a 422 problem naming the limit and the acceptance from receipt; when the timer fires, then the case is deemed accepted from receipt, once', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const caseId = String(created.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const { intakeDueOn, submittedOn } = (await errand.engine.commands.load(caseId)).context;
    expect(intakeDueOn).to.be.a('string');
    // The intake timer armed before the clock moves: armed after, its delay would be nought and it would not be late.
    await until('the intake timer armed', async () => (await errand.engine.queue.depth(TIMER_QUEUE)) >= 1);

    // Three weeks on: the limit is long past, and nothing was decided (the timer has not run).
    clock.advance(21 * DAY_MS);
    const refusals = [
      ['accept', {}],
      ['not-accept', { reason: '不属于本机关职权范围' }],
      ['supplement-request', { items: [{ materialId: 'rental-contract', note: '请上传签字的租赁合同' }] }],
    ] as const;
    for (const [action, body] of refusals) {
      const refused = await errand.api(clerk, 'POST', `/cases/${caseId}/${action}`, body);
      expect(refused.status, `${action}: ${JSON.stringify(refused.body)}`).to.equal(422);
      expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(String(refused.body.detail)).to.contain(`the intake limit ended on ${intakeDueOn}: the application counts as accepted from ${submittedOn} (Administrative Licensing Law art. 32)`);
    }
    expect((await errand.engine.commands.load(caseId)).status, 'nothing recorded').to.equal('submitted');

    // The intake timer fires at last, and again (at-least-once delivery): the deemed acceptance is recorded once.
    const timer = { type: 'DeemAccepted' as const, caseId, actor: { kind: 'system' as const, id: 'timer' } };
    const deemed = await errand.engine.commands.handle({ ...timer, commandId: `t-${caseId}-intake-${intakeDueOn}` });
    expect(deemed.events.map((e) => e.type)[0]).to.equal('CaseAccepted');
    expect(deemed.events[0]!.data).to.include({ deemed: true, acceptedOn: submittedOn });
    const again = await errand.engine.commands.handle({ ...timer, commandId: `t-${caseId}-intake-${intakeDueOn}-redelivered` });
    expect(again.events).to.deep.equal([]);
    const view = await until('the deemed acceptance in the case view', async () => {
      const v = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body;
      return v.deemedAccepted === true ? v : null;
    });
    expect(view).to.include({ acceptedOn: submittedOn });
  });
});
