import { expect } from 'chai';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { assessFee, feeProblems } from '../../domain/fees/fee.ts';
import { authorize } from '../../domain/case/authorization.ts';
import { loadCalendar, loadDataCatalogue } from '../../adapters/files/index.ts';
import { validateServiceDefinition } from '../../domain/catalogue/index.ts';
import { allowedCommands, applyEvents, desiredJobs, nextRefundId, paymentOrderId, paymentOrdersToClose, paymentStartRefusal, refundable, type CaseState } from '../../workflows/index.ts';
import { statusAfter } from '../../workflows/index.ts';
import { COMMITMENT, INSTANT, SINGLE, SYSTEM, citizen, clerk, givenCase, history, singleCaseInReview, types, when, type Given } from '../support/case-fixtures.ts';

const label = (en: string) => ({ 'zh-CN': en, en });

/** 50 CNY plus 2.50 CNY per copy, at most 80 CNY, free for low-income applicants; paid before the certificate. */
const FEE = {
  amount: 50,
  currency: 'CNY' as const,
  perUnit: { field: 'copies', amount: 2.5 },
  maximum: 80,
  waivers: [{ id: 'low-income', label: label('Low-income household'), field: 'lowIncome', equals: true }],
  payBefore: 'certificate' as const,
};

const PAID: ServiceDefinition = {
  ...SINGLE,
  id: 'test-paid-residence',
  form: [...SINGLE.form, { name: 'copies', type: 'number', required: false, label: label('Copies'), integer: true, minimum: 0 }, { name: 'lowIncome', type: 'boolean', required: false, label: label('Low income') }],
  fee: FEE,
};

const PAID_INSTANT: ServiceDefinition = { ...INSTANT, id: 'test-paid-instant', form: PAID.form, fee: FEE };

const withForm = (form: Record<string, unknown>): Given => {
  const drafted = history.drafted(PAID);
  return { ...drafted, data: { ...(drafted.data as object), form } } as Given;
};

function paidCaseInReview(form: Record<string, unknown> = { address: 'x', copies: 2 }) {
  return givenCase(PAID, [
    withForm(form), history.uploaded('photo'), history.uploaded('lease'), history.submitted(), history.accepted(),
    history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed(),
  ]);
}

/** 告知承诺 with a fee before the certificate: approved on acceptance, revocable once the commitment proves false. */
const PAID_COMMITMENT: ServiceDefinition = { ...COMMITMENT, id: 'test-paid-commitment', form: PAID.form, fee: FEE };

/** A commitment case approved on acceptance and waiting for its fee (55.00 CNY). */
function commitmentAwaitingPayment() {
  const drafted = history.drafted(PAID_COMMITMENT);
  const submitted = givenCase(PAID_COMMITMENT, [{ ...drafted, data: { ...(drafted.data as object), form: { address: 'x', copies: 2 } } } as Given, history.submitted({ commitment: true })]);
  return when(submitted, { type: 'AcceptCase', actor: clerk('PSB') }).state;
}

const PAYMENTS_ACTOR = { kind: 'system' as const, id: 'payments' };

const payment = (amount: number) => ({ type: 'PayFee' as const, actor: citizen(), paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-1', amount, currency: 'CNY' as const, paidAt: '2026-03-03T02:00:00Z' });

describe('收费: fees assessed from the service definition, paid through the provider, refunded by a clerk', () => {
  describe('assessing the fee (pure)', () => {
    it('given a fixed part and a per-unit part, when the form answers 2 copies, then 50 + 2 x 2.50 = 55.00 CNY, in whole fen', () => {
      const fee = assessFee(FEE, { copies: 2 });
      expect(fee).to.deep.include({ amount: 5500, gross: 5500, waivedBy: null, payBeforeCertificate: true });
      expect(fee.lines).to.deep.equal([{ kind: 'fixed', amount: 5000 }, { kind: 'perUnit', amount: 500, field: 'copies', units: 2 }]);
    });

    it('given a maximum, when the per-unit part would exceed it, then the total is capped and the cap is a line of its own', () => {
      const fee = assessFee(FEE, { copies: 100 });
      expect(fee.amount).to.equal(8000);
      expect(fee.lines.at(-1)).to.deep.equal({ kind: 'cap', amount: 8000 - (5000 + 25000) });
    });

    it('given a waiver rule, when the form matches it, then nothing is owed and the rule is named; a near miss ("true" as text) waives nothing', () => {
      expect(assessFee(FEE, { copies: 2, lowIncome: true })).to.deep.include({ amount: 0, gross: 5500, waivedBy: 'low-income' });
      expect(assessFee(FEE, { copies: 2, lowIncome: 'true' })).to.deep.include({ amount: 5500, waivedBy: null });
    });

    it('given odd answers for the unit field (absent, negative, text), then they count no units rather than a negative or NaN fee', () => {
      for (const copies of [undefined, -3, '7', Number.NaN]) expect(assessFee(FEE, { copies }).amount, String(copies)).to.equal(5000);
    });

    it('given amounts in yuan with two decimals, then fen add up exactly (no floating drift)', () => {
      expect(assessFee({ amount: 0.1, currency: 'CNY', perUnit: { field: 'n', amount: 0.2 } }, { n: 3 }).amount).to.equal(70);
    });

    it('given a definition whose fee reads a missing or text field, then the loader names each problem', () => {
      expect(feeProblems({ ...FEE, perUnit: { field: 'address', amount: 1 } }, PAID.form)).to.deep.include({ path: 'fee.perUnit.field', message: '"address" is a string field; a per-unit fee counts a number field' });
      expect(feeProblems({ ...FEE, waivers: [{ id: 'a', label: label('a'), field: 'nope', equals: true }] }, PAID.form)).to.deep.include({ path: 'fee.waivers[0].field', message: '"nope" is not a form field' });
      const catalogue = loadDataCatalogue();
      const bad = validateServiceDefinition({ ...JSON.parse(JSON.stringify(PAID)), department: 'PSB', outcome: { certificateType: 'residence', name: label('R'), validityMonths: 12 }, fee: { ...FEE, amount: 1.234 } }, catalogue);
      expect(bad.ok).to.equal(false);
      expect(!bad.ok && bad.errors.join('\n')).to.match(/fee\.amount/);
    });
  });

  describe('the case machine', () => {
    it('given a paid service in review, when the clerk approves, then the fee is assessed and the case waits in awaitingPayment: the certificate is refused until paid', () => {
      const approved = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') });
      expect(types(approved)).to.deep.equal(['CaseApproved', 'FeeAssessed', 'PaymentRequired']);
      expect(approved.state.status).to.equal('awaitingPayment');
      expect(allowedCommands(approved.state, citizen())).to.include('PayFee');
      expect(allowedCommands(approved.state, clerk('PSB'))).to.not.include('IssueCertificate');
      expect(() => when(approved.state, { type: 'IssueCertificate', actor: clerk('PSB') })).to.throw(/not allowed while the case is awaitingPayment/);
    });

    it('given a case awaiting payment, when the provider confirms the exact amount, then it is approved again and the clerk may issue the certificate', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500));
      expect(types(paid)).to.deep.equal(['PaymentReceived']);
      expect(paid.state.status).to.equal('approved');
      expect(allowedCommands(paid.state, clerk('PSB'))).to.include('IssueCertificate');
      expect(allowedCommands(paid.state, citizen())).to.not.include('PayFee');
      expect(types(when(paid.state, { type: 'IssueCertificate', actor: clerk('PSB') }))).to.include('CertificateIssued');
    });

    it('given a case awaiting payment, when a payment of another amount arrives, then it is refused and nothing is recorded', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      expect(() => when(waiting, payment(5000))).to.throw(/does not match the 5500 fen owed/);
    });

    it('given a paid case, when a second payment arrives, then it is refused for the state (nothing owed)', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500)).state;
      expect(() => when(paid, payment(5500))).to.throw(/PayFee is not allowed/);
    });

    it('given a waived fee, when the clerk approves, then the fee is recorded as waived and the case goes straight on to the certificate', () => {
      const approved = when(paidCaseInReview({ address: 'x', copies: 2, lowIncome: true }), { type: 'ApproveCase', actor: clerk('PSB') });
      expect(types(approved)).to.deep.equal(['CaseApproved', 'FeeAssessed']);
      expect(approved.events[1]!.data).to.deep.include({ amount: 0, waivedBy: 'low-income' });
      expect(approved.state.status).to.equal('approved');
      expect(allowedCommands(approved.state, citizen())).to.not.include('PayFee');
    });

    it('given a fee the service does not require before the certificate, then the certificate is issued at once and the fee may be paid afterwards', () => {
      const lenient = { ...PAID, id: 'test-pay-later', fee: { ...FEE, payBefore: undefined } };
      const review = givenCase(lenient, [withForm({ copies: 0 }), history.uploaded('photo'), history.uploaded('lease'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed()]);
      const approved = when(review, { type: 'ApproveCase', actor: clerk('PSB') });
      expect(types(approved)).to.deep.equal(['CaseApproved', 'FeeAssessed']);
      const certified = when(approved.state, { type: 'IssueCertificate', actor: clerk('PSB') });
      expect(certified.state.status).to.equal('closed');
      const paid = when(certified.state, payment(5000));
      expect(types(paid)).to.deep.equal(['PaymentReceived']);
      expect(paid.state.status).to.equal('closed');
    });

    it('given a free service, when approved, then no fee event is recorded at all (existing services are unchanged)', () => {
      expect(types(when(singleCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }))).to.deep.equal(['CaseApproved', 'FollowUpRequired']);
    });

    it('given 秒批 with a fee due before the certificate, when the rule approves, then it waits for payment; once paid the platform issues the certificate and closes with no clerk', () => {
      const gathering = givenCase(PAID_INSTANT, [
        { ...history.drafted(PAID_INSTANT), data: { ...(history.drafted(PAID_INSTANT).data as object), form: { copies: 1 } } } as Given,
        history.submitted(), history.accepted(), history.requested('insurance', 'social-insurance', 'HRSS'),
      ]);
      const ruled = when(gathering, { type: 'RecordEvidence', actor: SYSTEM, materialId: 'insurance', dataItem: 'social-insurance', provider: 'HRSS', fields: { insuredStatus: 'active', monthsContributed: 20 }, contentHash: 'h', retrievedAt: '2026-03-02T04:00:00Z', trustLevel: 'A' });
      expect(types(ruled)).to.deep.equal(['EvidenceReceived', 'EvidenceGatheringCompleted', 'CaseApproved', 'FeeAssessed', 'PaymentRequired']);
      expect(ruled.state.status).to.equal('awaitingPayment');
      const paid = when(ruled.state, payment(5250));
      expect(types(paid)).to.deep.equal(['PaymentReceived', 'CertificateIssued', 'CaseClosed']);
      expect(paid.state.status).to.equal('closed');
    });

    it('given a paid case, when a clerk refunds part then the rest, then each is recorded; more than was paid is refused; nothing left to refund is refused for the state', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500)).state;
      const refund = (amount: number, refundId = `r-${amount}`) => ({ type: 'RefundPayment' as const, actor: clerk('PSB'), refundId, paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-R', amount, reason: 'overcharged', refundedAt: '2026-03-04T02:00:00Z' });
      const part = when(paid, refund(500));
      expect(types(part)).to.deep.equal(['PaymentRefunded']);
      expect(() => when(part.state, refund(5001))).to.throw(/from 1 to 5000/);
      expect(() => when(part.state, { ...refund(100), reason: ' ' })).to.throw(/reason/);
      const rest = when(part.state, refund(5000));
      expect(rest.state.context.fee).to.deep.include({ refunded: 5500 });
      expect(() => when(rest.state, refund(1))).to.throw(/RefundPayment is not allowed/);
    });

    it('given a refund on record, when a refund under the same provider refund id is recorded again (two clerks, one refund at the provider), then it is refused and the case counts the money once', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500)).state;
      const refund = { type: 'RefundPayment' as const, actor: clerk('PSB'), refundId: 'refund-case-1-1', paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-R', amount: 500, reason: 'overcharged', refundedAt: '2026-03-04T02:00:00Z' };
      const first = when(paid, refund);
      expect(first.state.context.fee).to.deep.include({ refunded: 500, refundIds: ['refund-case-1-1'] });
      expect(() => when(first.state, { ...refund, actor: clerk('PSB') })).to.throw(/refund-case-1-1 is on record already/);
    });

    it('given a refund the provider failed (closed), when the platform records it, then nothing counts refunded, its id is spent (the next refund takes the next id), and a second record or a refund under it is refused', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500)).state;
      const caseId = paid.context.caseId;
      expect(nextRefundId(paid.context)).to.equal(`refund-${caseId}-1`);
      const failure = { type: 'RecordRefundFailure' as const, actor: PAYMENTS_ACTOR, refundId: `refund-${caseId}-1`, paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-R1', amount: 500 };
      const failed = when(paid, failure);
      expect(failed.events).to.deep.equal([{ type: 'PaymentRefundFailed', data: { refundId: `refund-${caseId}-1`, paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-R1', amount: 500, reportedAt: '2026-03-02T04:00:00.000Z' } }]);
      expect(refundable(failed.state.context)).to.equal(5500);
      expect(failed.state.context.fee).to.deep.include({ refunded: 0, failedRefundIds: [`refund-${caseId}-1`] });
      expect(nextRefundId(failed.state.context)).to.equal(`refund-${caseId}-2`);
      expect(() => when(failed.state, failure)).to.throw(/is on record already/);
      const refund = { type: 'RefundPayment' as const, actor: clerk('PSB'), refundId: `refund-${caseId}-1`, paymentId: 'fee-case-1', provider: 'sandbox', providerRef: 'SBX-R1', amount: 500, reason: 'overcharged', refundedAt: '2026-03-04T02:00:00Z' };
      expect(() => when(failed.state, refund)).to.throw(/is on record already/);
      const next = when(failed.state, { ...refund, refundId: `refund-${caseId}-2` });
      expect(next.state.context.fee).to.deep.include({ refunded: 500 });
      expect(nextRefundId(next.state.context)).to.equal(`refund-${caseId}-3`);
    });

    it('given a paid case, then only the platform records a failed refund: never offered, refused from a clerk', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      const paid = when(waiting, payment(5500)).state;
      expect(allowedCommands(paid, clerk('PSB'))).to.not.include('RecordRefundFailure');
      expect(() => authorize('RecordRefundFailure', clerk('PSB'), PAID, citizen().id)).to.throw(/only the platform/);
      expect(() => authorize('RecordRefundFailure', PAYMENTS_ACTOR, PAID, citizen().id)).to.not.throw();
    });

    it('given a case with no payment, then a refund is refused for the state and never offered', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      expect(allowedCommands(waiting, clerk('PSB'))).to.not.include('RefundPayment');
      expect(() => when(waiting, { type: 'RefundPayment', actor: clerk('PSB'), refundId: 'r', paymentId: 'p', provider: 'sandbox', providerRef: 'x', amount: 1, reason: 'r', refundedAt: '2026-03-04T02:00:00Z' })).to.throw(/not allowed/);
    });

    it('the read side follows the machine: approved -> awaitingPayment -> approved, and payments elsewhere keep the status', () => {
      expect(statusAfter({ status: 'approved', resumeTo: null }, 'PaymentRequired').status).to.equal('awaitingPayment');
      expect(statusAfter({ status: 'awaitingPayment', resumeTo: null }, 'PaymentReceived').status).to.equal('approved');
      expect(statusAfter({ status: 'closed', resumeTo: null }, 'PaymentReceived').status).to.equal('closed');
      expect(statusAfter({ status: 'closed', resumeTo: null }, 'PaymentRefunded').status).to.equal('closed');
    });

    it('a stored stream with a payment of the wrong amount does not fold (the machine never accepts it silently)', () => {
      const waiting = when(paidCaseInReview(), { type: 'ApproveCase', actor: clerk('PSB') }).state;
      expect(() => applyEvents(waiting, [{ type: 'PaymentReceived', data: { paymentId: 'p', provider: 's', providerRef: 'r', amount: 1, currency: 'CNY', paidAt: 'x' }, at: '2026-03-03T00:00:00Z' }])).to.throw(/cannot happen/);
    });
  });
});

describe('收费 after an approval is revoked: no payment starts, a payment the provider already took is recorded to be refunded', () => {
  it('given a case waiting for its fee, then a payment may start', () => {
    const waiting = commitmentAwaitingPayment();
    expect(waiting.status).to.equal('awaitingPayment');
    expect(paymentStartRefusal(waiting)).to.equal(null);
    expect(allowedCommands(waiting, citizen())).to.include('PayFee');
  });

  it('given the approval was revoked while the fee was owed, when a payment would start, then it is refused with the reason and PayFee is no longer offered', () => {
    const revoked = when(commitmentAwaitingPayment(), { type: 'RevokeApproval', actor: clerk('PSB'), reason: 'the commitment proved false' }, '2026-03-05').state;
    expect(revoked.status).to.equal('revoked');
    expect(paymentStartRefusal(revoked)).to.equal('the approval was revoked on 2026-03-05: its fee is no longer payable');
    expect(allowedCommands(revoked, citizen())).to.not.include('PayFee');
  });

  it('given a case never approved, then no payment may start', () => {
    expect(paymentStartRefusal(paidCaseInReview())).to.equal('the case has no approval to pay for');
  });

  it('given the approval was revoked, when the provider confirms a payment started before, then it is recorded, flagged for refund, and a clerk may refund it', () => {
    const revoked = when(commitmentAwaitingPayment(), { type: 'RevokeApproval', actor: clerk('PSB'), reason: 'the commitment proved false' }, '2026-03-05').state;
    const recorded = when(revoked, payment(5500), '2026-03-06');
    expect(types(recorded)).to.deep.equal(['PaymentReceived']);
    expect(recorded.events[0]!.data).to.include({ amount: 5500, refundDue: 'paid after the approval was revoked on 2026-03-05' });
    expect(recorded.state.status).to.equal('revoked');
    expect(recorded.state.context.fee?.paid).to.include({ refundDue: 'paid after the approval was revoked on 2026-03-05' });
    expect(allowedCommands(recorded.state, clerk('PSB'))).to.include('RefundPayment');
  });

  it('given the approval stands, when the provider confirms the payment, then nothing is flagged', () => {
    const paid = when(commitmentAwaitingPayment(), payment(5500));
    expect(paid.events[0]!.data).to.not.have.property('refundDue');
  });
});

describe('收费 after an approval is revoked: the fee\'s orders still open at the provider are closed by a durable job, once', () => {
  const calendar = loadCalendar('CN');
  const PAYMENTS = { kind: 'system' as const, id: 'payments' };
  const revoke = (state: CaseState) => when(state, { type: 'RevokeApproval', actor: clerk('PSB'), reason: 'the commitment proved false' }, '2026-03-05').state;
  const closeJobs = (state: CaseState) => desiredJobs(state, calendar, 'Asia/Shanghai').filter((j) => j.kind === 'payment');

  it('given the approval was revoked with the fee unpaid, then a job closes the case\'s payment orders, named after the case, though the case is closed', () => {
    const revoked = revoke(commitmentAwaitingPayment());
    expect(revoked.context.closedOn).to.equal('2026-03-05');
    expect(paymentOrdersToClose(revoked)).to.equal(true);
    expect(closeJobs(revoked)).to.deep.equal([{ kind: 'payment', jobId: 'pay-close-case-1', payload: { caseId: 'case-1', command: 'ClosePaymentOrders' } }]);
    expect([1, 2, 20].map((n) => paymentOrderId('case-1', n))).to.deep.equal(['fee-case-1', 'fee-case-1-2', 'fee-case-1-20']);
  });

  it('given the approval stands, or the fee was paid before the revocation, then no order is closed', () => {
    const waiting = commitmentAwaitingPayment();
    expect(paymentOrdersToClose(waiting)).to.equal(false);
    expect(closeJobs(waiting)).to.deep.equal([]);
    const paidThenRevoked = revoke(when(waiting, payment(5500)).state);
    expect(paymentOrdersToClose(paidThenRevoked)).to.equal(false);
    expect(closeJobs(paidThenRevoked)).to.deep.equal([]);
  });

  it('given the orders were closed at the provider, when the job records it, then PaymentOrdersClosed names them and the day, the job is no longer wanted, and a second delivery records nothing', () => {
    const revoked = revoke(commitmentAwaitingPayment());
    const closed = when(revoked, { type: 'ClosePaymentOrders', actor: PAYMENTS, provider: 'sandbox', orderIds: ['fee-case-1', 'fee-case-1-2'] }, '2026-03-06');
    expect(types(closed)).to.deep.equal(['PaymentOrdersClosed']);
    expect(closed.events[0]!.data).to.deep.equal({ orderIds: ['fee-case-1', 'fee-case-1-2'], provider: 'sandbox', closedOn: '2026-03-06' });
    expect(closed.state.status).to.equal('revoked');
    expect(closed.state.context.fee).to.include({ ordersClosedOn: '2026-03-06', paid: null });
    expect(paymentOrdersToClose(closed.state)).to.equal(false);
    expect(closeJobs(closed.state)).to.deep.equal([]);
    expect(types(when(closed.state, { type: 'ClosePaymentOrders', actor: PAYMENTS, provider: 'sandbox', orderIds: [] }))).to.deep.equal([]);
  });

  it('given the payer paid as the close reached the provider, when the job records what it found, then the payment is recorded flagged for refund, nothing is said closed, and a clerk may refund it', () => {
    const revoked = revoke(commitmentAwaitingPayment());
    const paid = { paymentId: 'fee-case-1', providerRef: 'SBX-1', amount: 5500, currency: 'CNY' as const, paidAt: '2026-03-06T02:00:00Z' };
    const found = when(revoked, { type: 'ClosePaymentOrders', actor: PAYMENTS, provider: 'sandbox', orderIds: [], paid }, '2026-03-06');
    expect(types(found)).to.deep.equal(['PaymentReceived']);
    expect(found.events[0]!.data).to.deep.equal({ ...paid, provider: 'sandbox', refundDue: 'paid after the approval was revoked on 2026-03-05' });
    expect(found.state.context.fee?.ordersClosedOn).to.equal(undefined);
    expect(closeJobs(found.state)).to.deep.equal([]);
    expect(allowedCommands(found.state, clerk('PSB'))).to.include('RefundPayment');
    // The payment the provider took is the amount owed or it is refused: never recorded as something else.
    expect(() => when(revoked, { type: 'ClosePaymentOrders', actor: PAYMENTS, provider: 'sandbox', orderIds: [], paid: { ...paid, amount: 100 } })).to.throw(/does not match the 5500 fen owed/);
  });

  it('given a revoked case, then only the platform records closed orders: never offered, refused from a clerk or the applicant', () => {
    const revoked = revoke(commitmentAwaitingPayment());
    expect(allowedCommands(revoked, clerk('PSB'))).to.not.include('ClosePaymentOrders');
    expect(allowedCommands(revoked, citizen())).to.not.include('ClosePaymentOrders');
    for (const actor of [clerk('PSB'), citizen()]) expect(() => authorize('ClosePaymentOrders', actor, PAID_COMMITMENT, citizen().id)).to.throw(/only the platform/);
    expect(() => authorize('ClosePaymentOrders', PAYMENTS, PAID_COMMITMENT, citizen().id)).to.not.throw();
  });
});
