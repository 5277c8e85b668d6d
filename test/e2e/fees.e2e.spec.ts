import { expect } from 'chai';
import { createSandboxPaymentProvider, type PaymentProvider } from '../../adapters/payments/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { MAX_PAYMENT_ATTEMPTS, paymentOrderId } from '../../workflows/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { paidHouseholdCase } from '../support/fees.ts';

type Json = Record<string, unknown>;
const FORM = { purpose: '入学', copies: 2 };

describe('收费 over HTTP: a fee from the form, paid through the provider before the certificate, waived by rule, refunded by a clerk', function () {
  this.timeout(180_000);
  let errand: RunningErrand;

  const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}?actions=true`);
      return response.status === 200 && predicate(response.body) ? response : null;
    }, 60_000);
  const apply = async (token: string, form: Json) => {
    const draft = await errand.api(token, 'POST', '/cases', { serviceId: 'household-certificate', form });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    expect((await errand.api(token, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    return caseId;
  };

  before(async () => {
    errand = await startErrand('fees-e2e');
  });
  after(async () => errand?.stop());

  it('秒批 with a fee: approved by rule, the certificate waits for payment; one payment (retried) records once, issues the certificate and closes the case', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const caseId = await apply(citizen, FORM);
    const waiting = await view(citizen, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    expect(waiting.body.certificate).to.equal(null);
    expect(waiting.body.fee).to.deep.include({ amount: 2000, gross: 2000, currency: 'CNY', waivedBy: null, payBeforeCertificate: true, payment: null });
    expect(waiting.body.allowed).to.include('PayFee');
    expect(waiting.body.actions).to.deep.include({ command: 'PayFee', method: 'POST', href: `/api/v1/cases/${caseId}/payment` });

    const key = { 'Idempotency-Key': `pay-${caseId}` };
    const paid = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {}, key);
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
    expect(paid.body).to.include({ status: 'closed', replayed: false });
    expect(paid.body.events).to.deep.equal(['PaymentReceived', 'CertificateIssued', 'CaseClosed']);
    const again = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {}, key);
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body).to.include({ replayed: true, revision: paid.body.revision });
    const twice = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(twice.status).to.equal(409);
    expect(twice.headers.get('content-type')).to.match(/application\/problem\+json/);

    const closed = await view(citizen, caseId, (v) => v.status === 'closed', 'the closed case');
    expect(closed.body.certificate).to.not.equal(null);
    const fee = closed.body.fee as Json;
    expect(fee.payment).to.deep.include({ amount: 2000, provider: 'sandbox', paymentId: `fee-${caseId}` });
    const timeline = (closed.body.timeline as Array<{ type: string; by: string; summary: string }>);
    expect(timeline.filter((t) => t.by.startsWith('clerk'))).to.deep.equal([]);
    expect(timeline.find((t) => t.type === 'FeeAssessed')!.summary).to.equal('Fee of 20.00 CNY assessed, payable before the certificate');
    expect(timeline.filter((t) => t.type === 'PaymentReceived')).to.have.length(1);
  });

  it('a waiver rule that matches the form: nothing to pay, the certificate is issued at once', async () => {
    const citizen = await errand.signIn('citizen-parent-with-child');
    const caseId = await apply(citizen, { ...FORM, lowIncome: true });
    const closed = await view(citizen, caseId, (v) => v.status === 'closed', 'the certificate, fee waived');
    expect(closed.body.fee).to.deep.include({ amount: 0, gross: 2000, waivedBy: 'subsistence-allowance', payment: null });
    expect(closed.body.certificate).to.not.equal(null);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(409);
  });

  it('refused payments change nothing: before approval (409), by a stranger (404), a body the operation does not take (400)', async () => {
    const citizen = await errand.signIn('citizen-dirty-record');
    const stranger = await errand.signIn('citizen-homeowner');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM });
    const caseId = String(draft.body.caseId);
    const early = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(early.status, JSON.stringify(early.body)).to.equal(409);
    expect(early.body).to.include({ state: 'draft' });
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const waiting = await view(citizen, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    expect((await errand.api(stranger, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(404);
    const psb = await errand.signIn('clerk-psb');
    const queued = await until('the case in the PSB queue, waiting for payment', async () => {
      const response = await errand.api(psb, 'GET', '/work-queue?waiting=true');
      return (response.body.items as Json[]).find((i) => i.caseId === caseId && i.action === 'awaiting-payment') ?? null;
    });
    expect(queued).to.include({ waiting: true, status: 'awaitingPayment' });
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, { amount: 1 }, {}, { contract: false })).status).to.equal(400);
    const clerk = await errand.signIn('clerk-psb');
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(403);
    expect((await errand.api(await errand.signIn('clerk-tax'), 'POST', `/cases/${caseId}/refund`, { reason: 'x' })).status).to.equal(404);
    const after = await errand.api(citizen, 'GET', `/cases/${caseId}`);
    expect(after.body.revision).to.equal(waiting.body.revision);
    expect(after.body.status).to.equal('awaitingPayment');
  });

  it('an Idempotency-Key already used to pay one case, sent to pay another: 422 before the provider is asked, so nothing is charged that the case does not record', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const first = await apply(citizen, FORM);
    const second = await apply(citizen, FORM);
    for (const caseId of [first, second]) await view(citizen, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    const key = { 'Idempotency-Key': `one-key-two-cases-${first}` };
    expect((await errand.api(citizen, 'POST', `/cases/${first}/payment`, {}, key)).status).to.equal(200);
    const reused = await errand.api(citizen, 'POST', `/cases/${second}/payment`, {}, key);
    expect(reused.status, JSON.stringify(reused.body)).to.equal(422);
    expect(String(reused.body.type)).to.include('idempotency-key-reused');
    expect(await errand.engine.payments.queryPayment(`fee-${second}`)).to.equal(null);
    expect((await errand.api(citizen, 'GET', `/cases/${second}`)).body.status).to.equal('awaitingPayment');
    // The same for a refund: a clerk's key from one case's refund moves no money on another.
    const clerk = await errand.signIn('clerk-psb');
    expect((await errand.api(citizen, 'POST', `/cases/${second}/payment`, {})).status).to.equal(200);
    const refundKey = { 'Idempotency-Key': `one-refund-key-${first}` };
    expect((await errand.api(clerk, 'POST', `/cases/${first}/refund`, { reason: '多收', amount: 100 }, refundKey)).status).to.equal(200);
    const reusedRefund = await errand.api(clerk, 'POST', `/cases/${second}/refund`, { reason: '多收', amount: 100 }, refundKey);
    expect(reusedRefund.status, JSON.stringify(reusedRefund.body)).to.equal(422);
    expect(await errand.engine.payments.queryPayment(`fee-${second}`)).to.include({ refunded: 0 });
  });

  it('a refund\'s Idempotency-Key sent again with another amount or reason is a 422, not a replay that claims the new amount was refunded', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await apply(citizen, FORM);
    await view(citizen, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(200);
    const key = { 'Idempotency-Key': `refund-once-${caseId}` };
    const first = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, key);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    const same = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, key);
    expect(same.body).to.include({ replayed: true });
    for (const body of [{ reason: '多收', amount: 1000 }, { reason: '另一理由', amount: 500 }, { reason: '多收' }]) {
      const other = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, body, key);
      expect(other.status, `${JSON.stringify(body)}: ${JSON.stringify(other.body)}`).to.equal(422);
      expect(String(other.body.type)).to.include('idempotency-key-reused');
    }
    expect(await errand.engine.payments.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
  });

  it('two payments sent at once (no Idempotency-Key): one is recorded, the other refused; the provider holds one order, so nothing is charged twice', async () => {
    const citizen = await errand.signIn('citizen-address-conflict');
    const clerk = await errand.signIn('clerk-psb');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    await view(clerk, caseId, (v) => v.status === 'review', 'the review (the address conflict: a clerk decides)');
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {})).body).to.include({ status: 'awaitingPayment' });
    const both = await Promise.all([1, 2].map(() => errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})));
    expect(both.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const order = await errand.engine.payments.queryPayment(`fee-${caseId}`);
    expect(order).to.include({ status: 'succeeded', amount: 2000, refunded: 0 });
    const paidView = await view(citizen, caseId, (v) => (v.fee as Json).payment !== null, 'the payment');
    expect((paidView.body.timeline as Array<{ type: string }>).filter((t) => t.type === 'PaymentReceived')).to.have.length(1);
  });

  it('a PSB approver refunds part, then the rest; more than was paid is a 422 that moves nothing; the applicant sees each refund and its reason', async () => {
    const citizen = await errand.signIn('citizen-name-conflict');
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await apply(citizen, { ...FORM, copies: 10 });
    // The name conflict keeps 秒批 from deciding: a clerk approves, and the certificate still waits for payment.
    await view(clerk, caseId, (v) => v.status === 'review', 'the review');
    const approved = await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {});
    expect(approved.body).to.include({ status: 'awaitingPayment' });
    expect(approved.body.allowed).to.not.include('IssueCertificate');
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {})).status).to.equal(409);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收' })).status).to.equal(409);
    const paid = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
    // 10 + 10 x 5 = 60 CNY, capped at 50.
    expect(paid.body).to.include({ status: 'approved' });
    expect((await errand.api(clerk, 'GET', `/cases/${caseId}?actions=true`)).body.allowed).to.include('IssueCertificate');

    const part = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收工本费', amount: 1000 }, { 'Idempotency-Key': `refund-${caseId}` });
    expect(part.status, JSON.stringify(part.body)).to.equal(200);
    expect(part.body.events).to.deep.equal(['PaymentRefunded']);
    const retried = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收工本费', amount: 1000 }, { 'Idempotency-Key': `refund-${caseId}` });
    expect(retried.body).to.include({ replayed: true });
    const tooMuch = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '全部退还', amount: 4001 });
    expect(tooMuch.status, JSON.stringify(tooMuch.body)).to.equal(422);
    expect(String(tooMuch.body.detail)).to.match(/from 1 to 4000/);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/refund`, { reason: 'x' })).status).to.equal(403);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '' })).status).to.equal(400);
    const rest = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '全部退还' });
    expect(rest.status, JSON.stringify(rest.body)).to.equal(200);

    const seen = await view(citizen, caseId, (v) => ((v.fee as Json | undefined)?.refunds as unknown[] | undefined)?.length === 2, 'both refunds');
    const fee = seen.body.fee as { amount: number; refunds: Array<{ amount: number; reason: string }> };
    expect(fee.amount).to.equal(5000);
    expect(fee.refunds.map((r) => [r.amount, r.reason])).to.deep.equal([[1000, '多收工本费'], [4000, '全部退还']]);
  });
});

describe('收费 over HTTP with a provider where the payer pays at the provider (the real providers\' shape)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const sandbox = createSandboxPaymentProvider({ clock: systemClock });

  before(async () => {
    errand = await startErrand('fees-async', { payments: sandbox });
  });
  after(async () => errand?.stop());

  /** A household certificate approved by rule and waiting for its fee (nothing paid: the payer pays at the provider). */
  const awaitingPayment = async (citizen: string) => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM });
    const caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    const waiting = await until('the wait for payment', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}`);
      return response.body.status === 'awaitingPayment' ? response : null;
    });
    return { caseId, waiting };
  };

  it('a pending order answers 202 with where to pay and records nothing; once the payer paid at the provider, asking again records the payment', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const { caseId, waiting } = await awaitingPayment(citizen);
    const pending = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    expect(pending.body).to.deep.include({ caseId, orderId: `fee-${caseId}`, status: 'pending', amount: 2000, currency: 'CNY' });
    expect(String(pending.body.payUrl)).to.match(/^sandbox:\/\/pay\//);
    expect((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.revision).to.equal(waiting.body.revision);
    sandbox.payerConfirms(`fee-${caseId}`);
    const paid = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
    expect(paid.body.events).to.deep.equal(['PaymentReceived', 'CertificateIssued', 'CaseClosed']);
  });

  it('a declined payment does not block the case: asking again opens a new order, and paying that one records it (the declined order is never charged)', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const { caseId } = await awaitingPayment(citizen);
    const first = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    sandbox.payerDeclines(String(first.body.orderId));
    const again = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(again.status, JSON.stringify(again.body)).to.equal(202);
    expect(again.body).to.include({ status: 'pending', amount: 2000 });
    expect(again.body.orderId).to.not.equal(first.body.orderId);
    // Asked once more before paying: the same new order, not a third.
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})).body.orderId).to.equal(again.body.orderId);
    sandbox.payerConfirms(String(again.body.orderId));
    const paid = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
    expect(paid.body.events).to.deep.equal(['PaymentReceived', 'CertificateIssued', 'CaseClosed']);
    const view = await errand.api(citizen, 'GET', `/cases/${caseId}`);
    expect(JSON.stringify(view.body)).to.include(String(again.body.orderId));
    expect((await sandbox.queryPayment(String(first.body.orderId)))).to.include({ status: 'failed', paidAt: null });
  });

  it('after 20 declined orders no 21st is opened: a 422 problem, nothing recorded, and the provider holds exactly the 20', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const { caseId, waiting } = await awaitingPayment(citizen);
    for (let n = 1; n <= MAX_PAYMENT_ATTEMPTS; n++) {
      const order = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
      expect(order.status, JSON.stringify(order.body)).to.equal(202);
      expect(order.body.orderId).to.equal(paymentOrderId(caseId, n));
      sandbox.payerDeclines(String(order.body.orderId));
    }
    const refused = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(refused.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(refused.body).to.include({ type: 'urn:errand:problem:payment-refused' });
    expect(String(refused.body.detail)).to.include(`the last ${MAX_PAYMENT_ATTEMPTS} payment attempts on this case were declined`);
    expect(await sandbox.queryPayment(paymentOrderId(caseId, MAX_PAYMENT_ATTEMPTS + 1))).to.equal(null);
    const after = await errand.api(citizen, 'GET', `/cases/${caseId}`);
    expect(after.body).to.include({ status: 'awaitingPayment', revision: waiting.body.revision });
  });
});

describe('收费 over HTTP with a provider that completes refunds later (a real provider\'s PROCESSING)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const sandbox = createSandboxPaymentProvider({ clock: systemClock, autoConfirm: true });
  const completed = new Set<string>();
  const provider: PaymentProvider = {
    name: sandbox.name,
    createPayment: (order) => sandbox.createPayment(order),
    queryPayment: (orderId) => sandbox.queryPayment(orderId),
    closePayment: (orderId) => sandbox.closePayment(orderId),
    queryRefund: async (refundId) => {
      const refund = await sandbox.queryRefund(refundId);
      return refund && !completed.has(refundId) ? { ...refund, status: 'pending', refundedAt: null } : refund;
    },
    refund: async (request) => {
      const refund = await sandbox.refund(request);
      return completed.has(request.refundId) ? refund : { ...refund, status: 'pending', refundedAt: null };
    },
  };

  before(async () => {
    errand = await startErrand('fees-refund', { payments: provider });
  });
  after(async () => errand?.stop());

  it('a refund still processing answers 202 and records nothing; the same key once it completed records it once', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidHouseholdCase(errand.api, await errand.signIn('citizen-instant-approval'));
    const before = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    const key = { 'Idempotency-Key': `refund-later-${caseId}` };
    const pending = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, key);
    expect(pending.status, JSON.stringify(pending.body)).to.equal(202);
    expect(pending.body).to.include({ caseId, status: 'pending', amount: 500 });
    const unchanged = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    expect(unchanged.body.revision).to.equal(before.body.revision);
    expect((unchanged.body.fee as Json).refunds).to.deep.equal([]);
    completed.add(String(pending.body.refundId));
    const done = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, key);
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.events).to.deep.equal(['PaymentRefunded']);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
  });
});

describe('收费 over HTTP when the process stops after the provider refunded and before the refund was recorded', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const sandbox = createSandboxPaymentProvider({ clock: systemClock, autoConfirm: true });
  /** Orders whose next refund moves the money and then "stops the process" (the request fails, nothing recorded). */
  const stopAfter = new Set<string>();
  const provider: PaymentProvider = {
    name: sandbox.name,
    createPayment: (order) => sandbox.createPayment(order),
    queryPayment: (orderId) => sandbox.queryPayment(orderId),
    closePayment: (orderId) => sandbox.closePayment(orderId),
    queryRefund: (refundId) => sandbox.queryRefund(refundId),
    refund: async (request) => {
      const refund = await sandbox.refund(request);
      if (stopAfter.delete(request.orderId)) throw new Error('the process stopped after the provider refunded');
      return refund;
    },
  };

  before(async () => {
    errand = await startErrand('fees-stop', { payments: provider });
  });
  after(async () => errand?.stop());

  const paidCase = async () => paidHouseholdCase(errand.api, await errand.signIn('citizen-instant-approval'));

  it('given a refund whose money moved but was never recorded, when the clerk sends it again under a new key, then no more money moves and the refund is recorded once', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    stopAfter.add(`fee-${caseId}`);
    const stopped = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, { 'Idempotency-Key': `first-click-${caseId}` });
    expect(stopped.status).to.equal(500);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
    expect(((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.fee as Json).refunds).to.deep.equal([]);
    // The page's next click sends a new key.
    const again = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 }, { 'Idempotency-Key': `second-click-${caseId}` });
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body.events).to.deep.equal(['PaymentRefunded']);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
    const refunds = ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.fee as { refunds: Array<{ amount: number }> }).refunds;
    expect(refunds.map((r) => r.amount)).to.deep.equal([500]);
  });

  it('given such a refund, when the clerk asks for another amount, then it is a 409 naming what already moved, nothing moves, and the refund can be recorded and then another made', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const caseId = await paidCase();
    stopAfter.add(`fee-${caseId}`);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 })).status).to.equal(500);
    const other = await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 700 });
    expect(other.status, JSON.stringify(other.body)).to.equal(409);
    expect(other.body).to.include({ refundId: `refund-${caseId}-1`, amount: 500 });
    expect(String(other.body.type)).to.match(/refund-not-on-record$/);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '多收', amount: 500 })).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/refund`, { reason: '再退', amount: 700 })).status).to.equal(200);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 1200 });
    const refunds = ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.fee as { refunds: Array<{ amount: number }> }).refunds;
    expect(refunds.map((r) => r.amount)).to.deep.equal([500, 700]);
  });
});
