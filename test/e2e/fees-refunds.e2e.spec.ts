import { expect } from 'chai';
import { createSandboxPaymentProvider, type PaymentProvider, type RefundRequest } from '../../adapters/payments/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json };
const FORM = { purpose: '入学', copies: 2 };

describe('收费 over HTTP: two clerks refunding the same case at once', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const sandbox = createSandboxPaymentProvider({ clock: systemClock, autoConfirm: true });
  /** Runs once the provider has moved the money for the next refund, before the route records it. */
  let afterRefund: ((request: RefundRequest) => Promise<void>) | null = null;
  /** Runs once the provider has answered the next refund query, before the route reads the answer. */
  let afterQuery: ((refundId: string) => Promise<void>) | null = null;
  const provider: PaymentProvider = {
    name: sandbox.name,
    createPayment: (order) => sandbox.createPayment(order),
    queryPayment: (orderId) => sandbox.queryPayment(orderId),
    closePayment: (orderId) => sandbox.closePayment(orderId),
    queryRefund: async (refundId) => {
      const answer = await sandbox.queryRefund(refundId);
      const hook = afterQuery;
      afterQuery = null;
      await hook?.(refundId);
      return answer;
    },
    refund: async (request) => {
      const refund = await sandbox.refund(request);
      const hook = afterRefund;
      afterRefund = null;
      await hook?.(request);
      return refund;
    },
  };

  before(async () => {
    errand = await startErrand('fees-refunds', { payments: provider });
  });
  after(async () => errand?.stop());

  /** A 秒批 household certificate, its 20 CNY fee paid. */
  async function paidCase(): Promise<string> {
    const citizen = await errand.signIn('citizen-instant-approval');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM });
    const caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    await until('the wait for payment', async () => ((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.status === 'awaitingPayment' ? true : null));
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(200);
    return caseId;
  }
  const refundsOf = async (clerk: string, caseId: string) =>
    ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.fee as { refunds: Array<{ refundId: string; amount: number }> }).refunds.map((r) => [r.refundId, r.amount]);

  it('given clerk A\'s refund of 1000 moved but not yet recorded when clerk B asks 500, when B follows the 409\'s advice once A\'s is recorded, then B\'s request names A\'s refund and moves nothing more', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    let b: Answer | null = null;
    afterRefund = async () => {
      b = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 });
    };
    const a = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 });
    expect(a.status, JSON.stringify(a.body)).to.equal(200);
    const told = b as Answer | null;
    expect(told?.status, JSON.stringify(told?.body)).to.equal(409);
    expect(String(told!.body.type)).to.match(/refund-not-on-record$/);
    expect(told!.body).to.include({ refundId: `refund-${caseId}-1`, amount: 1000 });
    // B does as told: the refund it names, for its amount. A's record landed meanwhile, so nothing moves.
    const followed = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000, refundId: told!.body.refundId });
    expect(followed.status, JSON.stringify(followed.body)).to.equal(409);
    expect(String(followed.body.type)).to.match(/refund-on-record$/);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
    expect(await refundsOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-1`, 1000]]);
  });

  it('given clerk A\'s refund recorded between B\'s reading of the case and its query at the provider, then B is told the case changed (reload), not that A\'s refund is missing from the record', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached!: () => void;
    const moved = new Promise<void>((resolve) => {
      reached = resolve;
    });
    afterRefund = async () => {
      reached();
      await held;
    };
    const a = errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 });
    await moved;
    // B read the case (nothing recorded yet) and asks the provider about the next refund; A records it meanwhile.
    afterQuery = async () => {
      release();
      expect((await a).status).to.equal(200);
    };
    const b = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 });
    expect(b.status, JSON.stringify(b.body)).to.equal(409);
    expect(String(b.body.type)).to.match(/stale-revision$/);
    expect(String(b.body.detail)).to.match(/recorded while this request was being handled/);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
    expect(await refundsOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-1`, 1000]]);
  });

  it('given a refund made at the provider and never recorded, when a clerk names it with its amount, then it is recorded and no more money moves; a refundId that is not the case\'s is a 422 that moves nothing', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    afterRefund = async () => {
      throw new Error('the process stopped after the provider refunded');
    };
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 })).status).to.equal(500);
    const stray = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000, refundId: `refund-${caseId}-7` });
    expect(stray.status, JSON.stringify(stray.body)).to.equal(422);
    const named = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000, refundId: `refund-${caseId}-1` });
    expect(named.status, JSON.stringify(named.body)).to.equal(200);
    expect(named.body.events).to.deep.equal(['PaymentRefunded']);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
    expect(await refundsOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-1`, 1000]]);
  });
});
