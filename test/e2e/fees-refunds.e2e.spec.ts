import { expect } from 'chai';
import { createSandboxPaymentProvider, type PaymentProvider, type ProviderRefund, type RefundRequest } from '../../adapters/payments/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';
import { paidHouseholdCase } from '../support/fees.ts';

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json };

describe('收费 over HTTP: refunds two clerks make at once, and refunds the provider fails', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const sandbox = createSandboxPaymentProvider({ clock: systemClock, autoConfirm: true });
  /** Runs once the provider has moved the money for the next refund, before the route records it. */
  let afterRefund: ((request: RefundRequest) => Promise<void>) | null = null;
  /** Runs once the provider has answered the next refund query, before the route reads the answer. */
  let afterQuery: ((refundId: string) => Promise<void>) | null = null;
  /** Refunds the provider still says are processing, whatever their outcome (a real provider's PROCESSING). */
  const processing = new Set<string>();
  const asProcessing = (refund: ProviderRefund | null): ProviderRefund | null => (refund && processing.has(refund.refundId) ? { ...refund, status: 'pending', refundedAt: null } : refund);
  const provider: PaymentProvider = {
    name: sandbox.name,
    createPayment: (order) => sandbox.createPayment(order),
    queryPayment: (orderId) => sandbox.queryPayment(orderId),
    closePayment: (orderId) => sandbox.closePayment(orderId),
    queryRefund: async (refundId) => {
      const answer = asProcessing(await sandbox.queryRefund(refundId));
      const hook = afterQuery;
      afterQuery = null;
      await hook?.(refundId);
      return answer;
    },
    refund: async (request) => {
      const refund = asProcessing(await sandbox.refund(request))!;
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

  const paidCase = async () => paidHouseholdCase(errand.api, await errand.signIn('citizen-instant-approval'));
  type FeeView = { refunds: Array<{ refundId: string; amount: number }>; failedRefunds?: Array<{ refundId: string; amount: number; reportedAt: string }> };
  const feeOf = async (clerk: string, caseId: string) => (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.fee as FeeView;
  const refundsOf = async (clerk: string, caseId: string) => (await feeOf(clerk, caseId)).refunds.map((r) => [r.refundId, r.amount]);
  const failedOf = async (clerk: string, caseId: string) => ((await feeOf(clerk, caseId)).failedRefunds ?? []).map((r) => [r.refundId, r.amount]);

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

  it('given the provider fails a refund as it is made (closes it), then the answer is a 409 refund-failed, nothing counts refunded, the failure is on the case for the clerk to see, and the refund sent again goes under the next refund id', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    sandbox.refundFails(`refund-${caseId}-1`);
    const failed = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 });
    expect(failed.status, JSON.stringify(failed.body)).to.equal(409);
    expect(String(failed.body.type)).to.match(/refund-failed$/);
    expect(failed.body).to.include({ refundId: `refund-${caseId}-1`, amount: 1000 });
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 0 });
    const view = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    expect((view.body.fee as FeeView).refunds).to.deep.equal([]);
    expect(await failedOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-1`, 1000]]);
    const timeline = view.body.timeline as Array<{ type: string; summary: string }>;
    expect(timeline.find((t) => t.type === 'PaymentRefundFailed')).to.include({ summary: 'Refund of 10.00 CNY failed at the provider: nothing went back' });
    // Sent again: a new refund, which the provider completes; the failed one is never counted.
    const again = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 });
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(await refundsOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-2`, 1000]]);
    expect(await failedOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-1`, 1000]]);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
    // Named once it failed, it moves nothing.
    const named = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000, refundId: `refund-${caseId}-1` });
    expect(named.status, JSON.stringify(named.body)).to.equal(409);
    expect(String(named.body.type)).to.match(/refund-on-record$/);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
  });

  it('given a refund left processing (202) that the provider then failed, when the same request is sent again (If-Match, same key), then the failure goes on record and the refund is made under the next refund id, once', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    const first = `refund-${caseId}-1`;
    processing.add(first);
    sandbox.refundFails(first);
    const revision = String((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.revision);
    const request = { 'Idempotency-Key': `refund-then-fail-${caseId}`, 'If-Match': `"${revision}"` };
    const pending = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 }, request);
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    expect(pending.body).to.include({ refundId: first, status: 'pending' });
    // The provider ends it failed (WeChat Pay's CLOSED): where the route asked it again and answered 202 for ever.
    processing.delete(first);
    const done = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 }, request);
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.events).to.deep.equal(['PaymentRefunded']);
    expect(await failedOf(clerk, caseId)).to.deep.equal([[first, 1000]]);
    expect(await refundsOf(clerk, caseId)).to.deep.equal([[`refund-${caseId}-2`, 1000]]);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
    const replay = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 1000 }, { 'Idempotency-Key': request['Idempotency-Key'] });
    expect(replay.body).to.include({ replayed: true });
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1000 });
  });
});
