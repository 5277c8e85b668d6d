import { expect } from 'chai';
import { createSandboxPaymentProvider, type PaymentProvider } from '../../adapters/payments/index.ts';
import { createInProcessQueue } from '../../adapters/queue/index.ts';
import { loadCalendar } from '../../adapters/files/index.ts';
import { createMemoryReadStore } from '../../adapters/read-store/index.ts';
import { createCaseJobsReactor, PAYMENT_QUEUE } from '../../adapters/reactors/case-jobs-reactor.ts';
import { startPaymentWorker } from '../../adapters/reactors/payment-worker.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { JobQueue } from '../../domain/ports/queue.ts';
import { systemClock } from '../../domain/time/clock.ts';
import type { CaseState } from '../../workflows/index.ts';
import { COMMITMENT, clerk, givenCase, history, when, type Given } from '../support/case-fixtures.ts';

/** 告知承诺 charging 30 CNY before the licence. */
const SHOP: ServiceDefinition = { ...COMMITMENT, id: 'test-paid-shop', fee: { amount: 30, currency: 'CNY', payBefore: 'certificate' } };
const PAYMENTS = { kind: 'system' as const, id: 'payments' };

/** Approved on acceptance, waiting for its fee, then revoked: its orders are to be closed. */
function revokedOwing(): CaseState {
  const submitted = givenCase(SHOP, [history.drafted(SHOP) as Given, history.submitted({ commitment: true })]);
  const waiting = when(submitted, { type: 'AcceptCase', actor: clerk('PSB') }).state;
  return when(waiting, { type: 'RevokeApproval', actor: clerk('PSB'), reason: 'the commitment proved false' }, '2026-03-05').state;
}

const settled = async (queue: JobQueue, what: () => boolean) => {
  for (let i = 0; i < 200; i++) {
    if (what() && (await queue.depth(PAYMENT_QUEUE)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the payment job did not finish');
};

describe('closing a revoked approval\'s payment orders: a durable job that asks the provider, then records what it answered', () => {
  let queue: JobQueue;
  beforeEach(() => {
    queue = createInProcessQueue();
  });
  afterEach(async () => queue.close());

  /** Runs the worker until the case's job is done (its retries included); `handle` records, or fails to record, the command. */
  const run = async (state: CaseState, payments: PaymentProvider, handle: (command: CaseCommand) => Promise<unknown>, attempts = 1) => {
    const handled: CaseCommand[] = [];
    const worker = startPaymentWorker({
      queue,
      payments,
      clock: systemClock,
      load: async () => state,
      handle: async (command) => {
        handled.push(command);
        return handle(command);
      },
    });
    await queue.add(PAYMENT_QUEUE, 'ClosePaymentOrders', { caseId: 'case-1', command: 'ClosePaymentOrders' }, { jobId: 'pay-close-case-1', attempts, backoffMs: 1 });
    await settled(queue, () => handled.length >= 1);
    await worker.close();
    return handled;
  };

  it('given a declined order and a pending one, when the job runs, then the pending one is closed at the provider and the case is told which orders it closed', async () => {
    const sandbox = createSandboxPaymentProvider({ clock: systemClock });
    await sandbox.createPayment({ orderId: 'fee-case-1', amount: 3000, currency: 'CNY', description: 'fee' });
    sandbox.payerDeclines('fee-case-1');
    await sandbox.createPayment({ orderId: 'fee-case-1-2', amount: 3000, currency: 'CNY', description: 'fee' });
    const handled = await run(revokedOwing(), sandbox, async () => undefined);
    expect(handled).to.deep.equal([{ type: 'ClosePaymentOrders', commandId: 'pay-close-case-1', caseId: 'case-1', actor: PAYMENTS, provider: 'sandbox', orderIds: ['fee-case-1-2'] }]);
    expect(await sandbox.queryPayment('fee-case-1-2')).to.include({ status: 'closed', payUrl: null });
    expect(() => sandbox.payerConfirms('fee-case-1-2')).to.throw(/closed/);
    // Asked no further than the first order it never saw.
    expect(await sandbox.queryPayment('fee-case-1-3')).to.equal(null);
  });

  it('given the payer paid as the close reached the provider, when the job runs, then it records the payment the provider took, not a closing', async () => {
    const sandbox = createSandboxPaymentProvider({ clock: systemClock });
    await sandbox.createPayment({ orderId: 'fee-case-1', amount: 3000, currency: 'CNY', description: 'fee' });
    const payingNow: PaymentProvider = { ...sandbox, closePayment: async (orderId) => (sandbox.payerConfirms(orderId), sandbox.closePayment(orderId)) };
    const [command] = await run(revokedOwing(), payingNow, async () => undefined);
    const paid = await sandbox.queryPayment('fee-case-1');
    expect(command).to.deep.include({ type: 'ClosePaymentOrders', orderIds: [], paid: { paymentId: 'fee-case-1', providerRef: paid!.providerRef, amount: 3000, currency: 'CNY', paidAt: paid!.paidAt } });
  });

  it('given the provider took the payment and recording it failed, when the job runs again, then the provider answers the same and the payment is recorded: never paid and lost', async () => {
    const sandbox = createSandboxPaymentProvider({ clock: systemClock });
    await sandbox.createPayment({ orderId: 'fee-case-1', amount: 3000, currency: 'CNY', description: 'fee' });
    sandbox.payerConfirms('fee-case-1');
    let calls = 0;
    const handled = await run(revokedOwing(), sandbox, async () => {
      calls += 1;
      if (calls === 1) throw new Error('the event store is unreachable');
    }, 2);
    expect(handled).to.have.length(2);
    expect(handled[1]).to.deep.equal(handled[0]);
    expect((handled[1] as { paid?: { amount: number } }).paid).to.include({ amount: 3000 });
  });

  it('given the closing (or a payment) is on record already, when a late delivery runs, then the provider is not asked and nothing is recorded', async () => {
    const closed = when(revokedOwing(), { type: 'ClosePaymentOrders', actor: PAYMENTS, provider: 'sandbox', orderIds: [] }).state;
    const sandbox = createSandboxPaymentProvider({ clock: systemClock });
    let asked = 0;
    const spy: PaymentProvider = { ...sandbox, closePayment: async (orderId) => ((asked += 1), sandbox.closePayment(orderId)) };
    const worker = startPaymentWorker({ queue, payments: spy, clock: systemClock, load: async () => closed, handle: async () => expect.fail('nothing to record') });
    await queue.add(PAYMENT_QUEUE, 'ClosePaymentOrders', { caseId: 'case-1', command: 'ClosePaymentOrders' }, { jobId: 'pay-close-case-1' });
    await settled(queue, () => true);
    await worker.close();
    expect(asked).to.equal(0);
  });

  it('given a revoked case whose closing is not on record, when the reconciler re-derives the open cases (Redis lost its jobs), then the payment job is added again', async () => {
    const readStore = createMemoryReadStore();
    await readStore.transaction((tx) => tx.put('reactor_open_cases', 'case-1', { caseId: 'case-1', open: true }));
    const calendar = loadCalendar('CN');
    const reactor = createCaseJobsReactor({
      eventStore: {} as EventStore,
      readStore,
      queue,
      clock: systemClock,
      timeZone: 'Asia/Shanghai',
      calendar: () => calendar,
      loadCase: async () => revokedOwing(),
      enqueueEvidence: async () => undefined,
    });
    expect(await reactor.resync()).to.equal(1);
    expect(await queue.depth(PAYMENT_QUEUE)).to.equal(1);
    // Added again while it waits: the same job, not a second one.
    await reactor.resync();
    expect(await queue.depth(PAYMENT_QUEUE)).to.equal(1);
  });
});
