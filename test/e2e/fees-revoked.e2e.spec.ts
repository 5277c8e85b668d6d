import { expect } from 'chai';
import { publishLicenceFee, racingPayments } from '../support/fees.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;

describe('收费 over HTTP after an approval on commitment (告知承诺) is revoked: no payment starts, open orders are closed at the provider, one the provider already took is recorded to be refunded', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let amr: string;
  // The payer pays at the provider, so a payment can be started before the revocation and paid (or not) after it.
  const payments = racingPayments();
  const { sandbox, provider, payingAtClose } = payments;
  const PDF = Buffer.from('%PDF-1.4\n% premises commitment\n%%EOF\n');

  /** An individual business licence on commitment: approved on acceptance, then waiting for its 30 CNY fee. */
  const approvedOwing = async (): Promise<{ caseId: string; revision: unknown }> => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'individual-business-licence', form: { tradeName: '老街面馆', businessScope: '餐饮服务', premisesAddress: '深圳市福田区老街1号' } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/premises-commitment`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { commitment: true })).status).to.equal(200);
    const accepted = await errand.api(amr, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const waiting = await until('the wait for payment', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}`);
      return response.body.status === 'awaitingPayment' ? response : null;
    });
    return { caseId, revision: waiting.body.revision };
  };
  const revoke = async (caseId: string) => {
    const revoked = await errand.api(amr, 'POST', `/cases/${caseId}/revocation`, { reason: '经核查，经营场所承诺不实' });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    expect(revoked.body.status).to.equal('revoked');
    return revoked;
  };
  type Fee = { payment: Json | null; ordersClosedOn?: string };
  /** The case once the platform closed its orders at the provider (a durable job, after the revocation). */
  const ordersClosed = (caseId: string) =>
    until('the payment orders closed', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}?actions=true`);
      return (response.body.fee as Fee | null)?.ordersClosedOn ? response : null;
    });

  before(async () => {
    errand = await startErrand('fees-revoked', { embedded: true, payments: provider });
    citizen = await errand.signIn('citizen-dirty-record');
    amr = await errand.signIn('clerk-amr');
    await publishLicenceFee((token, method, path, body) => errand.api(token, method, path, body), await errand.signIn('admin'), await errand.signIn('admin-reviewer'));
  });
  after(async () => errand?.stop());

  it('given the approval was revoked while the fee was owed, when the applicant starts a payment, then it is a 409 problem, no order is opened at the provider and nothing is recorded', async () => {
    const { caseId } = await approvedOwing();
    await revoke(caseId);
    // None was open: the platform records that, and nothing more.
    const before = await ordersClosed(caseId);
    expect(before.body.allowed).to.not.include('PayFee');
    const refused = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect(refused.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(refused.body).to.include({ title: 'The fee is no longer payable', status: 409 });
    expect(String(refused.body.detail)).to.match(/approval was revoked/);
    expect(refused.body).to.not.have.property('payUrl');
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.equal(null);
    expect((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.revision).to.equal(before.body.revision);
  });

  it('given an order opened before the revocation, when the approval is revoked, then the order is closed at the provider: the payer holding its address can no longer pay, and the case records nothing paid', async () => {
    const { caseId } = await approvedOwing();
    const pending = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    expect(pending.body).to.include({ orderId: `fee-${caseId}`, status: 'pending', amount: 3000 });
    expect(String(pending.body.payUrl)).to.match(/^sandbox:\/\/pay\//);
    await revoke(caseId);
    const closed = await ordersClosed(caseId);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ status: 'closed', paidAt: null, payUrl: null });
    // The payer opens the address handed out before the revocation and tries to pay: the provider refuses.
    expect(() => sandbox.payerConfirms(`fee-${caseId}`)).to.throw(/closed/);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ status: 'closed', paidAt: null, refunded: 0 });
    const again = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(again.status, JSON.stringify(again.body)).to.equal(409);
    expect(again.body).to.include({ title: 'The fee is no longer payable' });
    expect(again.body).to.not.have.property('payUrl');
    const view = await errand.api(amr, 'GET', `/cases/${caseId}`);
    expect(view.body.revision).to.equal(closed.body.revision);
    expect(view.body.fee).to.deep.include({ payment: null, refunds: [] });
    const timeline = view.body.timeline as Array<{ type: string; by: string; summary: string }>;
    expect(timeline.filter((t) => t.type === 'PaymentReceived')).to.deep.equal([]);
    expect(timeline.find((t) => t.type === 'PaymentOrdersClosed')).to.include({ summary: 'Payment orders closed at the provider: the fee can no longer be paid' });
    expect(await sandbox.queryPayment(`fee-${caseId}-2`)).to.equal(null);
  });

  it('given the payer pays at the very moment the order is closed and the provider takes the payment first, then the platform records it flagged for refund with no request from anyone, and a clerk refunds it', async () => {
    const { caseId } = await approvedOwing();
    const pending = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    payingAtClose.add(`fee-${caseId}`);
    await revoke(caseId);
    const view = await until('the payment flagged for refund', async () => {
      const response = await errand.api(amr, 'GET', `/cases/${caseId}`);
      return (response.body.fee as Fee | null)?.payment ? response : null;
    });
    const fee = view.body.fee as Fee & { payment: Json };
    expect(fee.payment).to.include({ paymentId: `fee-${caseId}`, amount: 3000 });
    expect(String(fee.payment.refundDue)).to.match(/after the approval was revoked/);
    // Paid, so nothing is said closed: exactly one of the two outcomes.
    expect(fee).to.not.have.property('ordersClosedOn');
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ status: 'succeeded' });
    // The applicant asking again finds it on record, not a second time.
    const asked = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(asked.status, JSON.stringify(asked.body)).to.equal(409);
    // The clerk learns of it from the department's queue, the revoked case's only item, until it is refunded.
    const item = await until('the refund in the AMR work queue', async () => {
      const response = await errand.api(amr, 'GET', '/work-queue?action=refund-due');
      return (response.body.items as Json[]).find((i) => i.caseId === caseId) ?? null;
    });
    expect(item).to.include({ role: 'lead', status: 'revoked', action: 'refund-due', waiting: false, dueOn: null });
    const refund = await errand.api(amr, 'POST', `/cases/${caseId}/refund`, { reason: '许可已撤销，退还已缴费用' });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(200);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 3000 });
    await until('the refund gone from the work queue', async () => {
      const response = await errand.api(amr, 'GET', '/work-queue');
      return (response.body.items as Json[]).some((i) => i.caseId === caseId) ? null : true;
    });
  });

  it('given the payer paid an order opened before the revocation and the applicant asks to pay before the platform has closed it, then the route records that payment flagged for refund (200), and the close job after it records nothing more', async () => {
    const { caseId } = await approvedOwing();
    const pending = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    // The platform's close job reaches the provider and waits there; meanwhile the payer pays the open order.
    const { release, closing } = payments.holdCloses();
    try {
      await revoke(caseId);
      await closing;
      sandbox.payerConfirms(`fee-${caseId}`);
      const paid = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
      expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
      const fee = (await errand.api(amr, 'GET', `/cases/${caseId}`)).body.fee as Fee & { payment: Json };
      expect(fee.payment).to.include({ paymentId: `fee-${caseId}`, amount: 3000 });
      expect(String(fee.payment.refundDue)).to.match(/after the approval was revoked/);
    } finally {
      release();
    }
    // The close job goes on: the provider answers the order paid, which the case already holds.
    await until('the close job done', async () => (await errand.engine.queue.depth('payments')) === 0);
    const view = await errand.api(amr, 'GET', `/cases/${caseId}`);
    const timeline = view.body.timeline as Array<{ type: string }>;
    expect(timeline.filter((t) => t.type === 'PaymentReceived')).to.have.length(1);
    expect(view.body.fee).to.not.have.property('ordersClosedOn');
  });

  it('given the approval is revoked while a payment is being started (after its check, before the provider opened the order), then the order opened is closed, the answer is 409 with nowhere to pay, and nothing is recorded paid', async () => {
    const { caseId } = await approvedOwing();
    // The revocation lands, and its orders are closed (none open yet), between the route's check and the new order.
    payments.beforeCreate = async () => {
      await revoke(caseId);
      await ordersClosed(caseId);
    };
    const started = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(payments.beforeCreate).to.equal(null);
    expect(started.status, JSON.stringify(started.body)).to.equal(409);
    expect(started.body).to.include({ title: 'The fee is no longer payable' });
    expect(started.body).to.not.have.property('payUrl');
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ status: 'closed', paidAt: null });
    expect(() => sandbox.payerConfirms(`fee-${caseId}`)).to.throw(/closed/);
    expect(((await errand.api(amr, 'GET', `/cases/${caseId}`)).body.fee as Fee).payment).to.equal(null);
  });

  it('given the case cannot be read again once the order is opened (its store did not answer), then the order is closed and the answer is a 503 with nowhere to pay: unsure whether the case is still payable, the route hands out no address', async () => {
    const { caseId } = await approvedOwing();
    const commands = errand.engine.commands as { load: typeof errand.engine.commands.load };
    const load = commands.load;
    payments.beforeCreate = async () => {
      await revoke(caseId);
      await ordersClosed(caseId);
      commands.load = async () => {
        commands.load = load;
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      };
    };
    try {
      const started = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
      expect(started.status, JSON.stringify(started.body)).to.equal(503);
      expect(started.body).to.not.have.property('payUrl');
      expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ status: 'closed', paidAt: null });
      expect(() => sandbox.payerConfirms(`fee-${caseId}`)).to.throw(/closed/);
    } finally {
      commands.load = load;
    }
  });
});
