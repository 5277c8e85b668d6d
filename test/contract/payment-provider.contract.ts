import { expect } from 'chai';
import { PaymentRefusedError, type PaymentProvider } from '../../adapters/payments/index.ts';

export interface PaymentProviderHarness {
  provider: PaymentProvider;
  /** The payer completes a pending order at the provider (a sandbox's simulation call for a real provider). */
  payerConfirms(orderId: string): Promise<void>;
  payerDeclines(orderId: string): Promise<void>;
  /**
   * The refund with this id, once asked for, ends failed at the provider (a sandbox's simulation of a refund the
   * provider closed); absent where the provider's sandbox cannot make one fail, and that test is skipped.
   */
  refundFails?(refundId: string): Promise<void>;
  cleanup(): Promise<void>;
}

const refused = async (work: Promise<unknown>, pattern: RegExp) => {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error, 'refused').to.be.instanceOf(PaymentRefusedError);
  expect((error as Error).message).to.match(pattern);
};

/** What every PaymentProvider adapter must do; order ids are unique per test, so none depends on an empty provider. */
export function paymentProviderContract(name: string, open: () => Promise<PaymentProviderHarness>): void {
  describe(`PaymentProvider contract: ${name}`, () => {
    let harness: PaymentProviderHarness;
    let n = 0;
    const id = (what: string) => `${what}-${process.pid}-${(n += 1)}-${Math.random().toString(36).slice(2, 8)}`;
    const order = (amount = 5500) => ({ orderId: id('fee'), amount, currency: 'CNY' as const, description: 'Residence permit fee' });
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => harness.cleanup());

    it('given a new order, when it is created, then the provider names it, with the amount, and says whether it is paid', async () => {
      const wanted = order();
      const payment = await harness.provider.createPayment(wanted);
      expect(payment).to.include({ orderId: wanted.orderId, amount: 5500, currency: 'CNY', refunded: 0 });
      expect(payment.providerRef).to.be.a('string').and.not.equal('');
      expect(['pending', 'succeeded']).to.include(payment.status);
    });

    it('given an order, when it is created again with the same id, then the same order answers (no second order); another amount is refused', async () => {
      const wanted = order();
      const first = await harness.provider.createPayment(wanted);
      const again = await harness.provider.createPayment(wanted);
      expect(again.providerRef).to.equal(first.providerRef);
      await refused(harness.provider.createPayment({ ...wanted, amount: 1 }), /5500/);
    });

    it('given a pending order, when the payer pays, then a query says succeeded with the time it was paid; a declined one says failed', async () => {
      const paid = order();
      await harness.provider.createPayment(paid);
      await harness.payerConfirms(paid.orderId);
      const answer = await harness.provider.queryPayment(paid.orderId);
      expect(answer).to.include({ status: 'succeeded', amount: 5500 });
      expect(Number.isNaN(Date.parse(String(answer!.paidAt)))).to.equal(false);
      const declined = order();
      const created = await harness.provider.createPayment(declined);
      if (created.status === 'pending') {
        await harness.payerDeclines(declined.orderId);
        expect(await harness.provider.queryPayment(declined.orderId)).to.include({ status: 'failed', paidAt: null });
      }
    });

    it('given an order id it never saw, then a query answers null', async () => {
      expect(await harness.provider.queryPayment(id('never'))).to.equal(null);
    });

    it('given bad amounts, then creating the order is refused', async () => {
      for (const amount of [0, -5, 1.5, Number.NaN]) await refused(harness.provider.createPayment(order(amount)), /amount/);
    });

    it('given a paid order, when refunded in parts, then each refund is recorded once per refund id and never above what was paid', async () => {
      const paid = order();
      await harness.provider.createPayment(paid);
      await harness.payerConfirms(paid.orderId);
      const refundId = id('refund');
      const first = await harness.provider.refund({ refundId, orderId: paid.orderId, amount: 500, reason: 'overcharged' });
      expect(first).to.include({ refundId, orderId: paid.orderId, amount: 500 });
      expect(['succeeded', 'pending']).to.include(first.status);
      const retried = await harness.provider.refund({ refundId, orderId: paid.orderId, amount: 500, reason: 'overcharged' });
      expect(retried.providerRef).to.equal(first.providerRef);
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(500);
      await refused(harness.provider.refund({ refundId: id('refund'), orderId: paid.orderId, amount: 5001, reason: 'too much' }), /5000/);
      await harness.provider.refund({ refundId: id('refund'), orderId: paid.orderId, amount: 5000, reason: 'the rest' });
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(5500);
    });

    it('given a refund made, then querying its id answers it as the refund did; an id never used answers null', async () => {
      const paid = order();
      await harness.provider.createPayment(paid);
      await harness.payerConfirms(paid.orderId);
      const refundId = id('refund');
      expect(await harness.provider.queryRefund(refundId)).to.equal(null);
      const made = await harness.provider.refund({ refundId, orderId: paid.orderId, amount: 700, reason: 'overcharged' });
      expect(await harness.provider.queryRefund(refundId)).to.deep.equal(made);
      // Asking about it moved nothing.
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(700);
    });

    it('given a refund the provider fails (closes), then it answers failed with no time refunded and nothing refunded; the same id again moves nothing; a new id refunds the money', async function () {
      if (!harness.refundFails) return this.skip();
      const paid = order();
      await harness.provider.createPayment(paid);
      await harness.payerConfirms(paid.orderId);
      const refundId = id('refund');
      await harness.refundFails(refundId);
      const failed = await harness.provider.refund({ refundId, orderId: paid.orderId, amount: 700, reason: 'overcharged' });
      expect(failed).to.include({ refundId, orderId: paid.orderId, amount: 700, status: 'failed', refundedAt: null });
      expect(await harness.provider.queryRefund(refundId)).to.deep.equal(failed);
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(0);
      const again = await harness.provider.refund({ refundId, orderId: paid.orderId, amount: 700, reason: 'overcharged' });
      expect(again).to.deep.equal(failed);
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(0);
      // Nothing of the payment is held by the failed refund: all of it can still go back, under a new id.
      const next = await harness.provider.refund({ refundId: id('refund'), orderId: paid.orderId, amount: 5500, reason: 'overcharged' });
      expect(next).to.include({ amount: 5500, status: 'succeeded' });
      expect((await harness.provider.queryPayment(paid.orderId))!.refunded).to.equal(5500);
    });

    it('given a pending order, when it is closed, then it answers closed with nowhere to pay, and the payer can no longer pay it', async () => {
      const wanted = order();
      const created = await harness.provider.createPayment(wanted);
      if (created.status !== 'pending') return;
      const closed = await harness.provider.closePayment(wanted.orderId);
      expect(closed).to.include({ orderId: wanted.orderId, status: 'closed', paidAt: null, payUrl: null, amount: 5500 });
      // However the provider tells the payer (an error on its cashier page, or nothing), no money is taken.
      await harness.payerConfirms(wanted.orderId).catch(() => undefined);
      expect(await harness.provider.queryPayment(wanted.orderId)).to.include({ status: 'closed', paidAt: null });
      await refused(harness.provider.refund({ refundId: id('refund'), orderId: wanted.orderId, amount: 1, reason: 'x' }), /not paid/);
    });

    it('given a closed order, when it is closed again or created again with the same id, then it stays closed (no second order)', async () => {
      const wanted = order();
      const created = await harness.provider.createPayment(wanted);
      if (created.status !== 'pending') return;
      const first = await harness.provider.closePayment(wanted.orderId);
      const again = await harness.provider.closePayment(wanted.orderId);
      expect(again).to.deep.equal(first);
      const recreated = await harness.provider.createPayment(wanted);
      expect(recreated).to.include({ providerRef: created.providerRef, status: 'closed', payUrl: null });
    });

    it('given an order the payer paid before the close reached the provider, when it is closed, then it answers succeeded with the payment (the caller records it), and stays paid', async () => {
      const wanted = order();
      await harness.provider.createPayment(wanted);
      await harness.payerConfirms(wanted.orderId);
      const closed = await harness.provider.closePayment(wanted.orderId);
      expect(closed).to.include({ orderId: wanted.orderId, status: 'succeeded', amount: 5500 });
      expect(Number.isNaN(Date.parse(String(closed!.paidAt)))).to.equal(false);
      expect(await harness.provider.queryPayment(wanted.orderId)).to.include({ status: 'succeeded' });
    });

    it('given a declined order or an order id it never saw, when it is closed, then nothing happens: failed, or null', async () => {
      expect(await harness.provider.closePayment(id('never'))).to.equal(null);
      expect(await harness.provider.queryPayment(id('never'))).to.equal(null);
      const declined = order();
      const created = await harness.provider.createPayment(declined);
      if (created.status !== 'pending') return;
      await harness.payerDeclines(declined.orderId);
      expect(await harness.provider.closePayment(declined.orderId)).to.include({ status: 'failed', paidAt: null });
    });

    it('given an unpaid or unknown order, then a refund is refused', async () => {
      const unpaid = order();
      const created = await harness.provider.createPayment(unpaid);
      if (created.status === 'pending') await refused(harness.provider.refund({ refundId: id('refund'), orderId: unpaid.orderId, amount: 1, reason: 'x' }), /not paid/);
      await refused(harness.provider.refund({ refundId: id('refund'), orderId: id('never'), amount: 1, reason: 'x' }), /does not exist/);
    });
  });
}
