import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import type { PaymentProvider, ProviderPayment } from '../../domain/ports/payments.ts';
import type { JobQueue, Worker } from '../../domain/ports/queue.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { MAX_PAYMENT_ATTEMPTS, paymentOrderId, paymentOrdersToClose, type CaseState, type PaymentPayload } from '../../workflows/index.ts';
import { PAYMENT_QUEUE } from './case-jobs-reactor.ts';

/** Who the payment jobs' commands are recorded as. */
const PAYMENTS_ACTOR = { kind: 'system' as const, id: 'payments' };

/**
 * Closes a revoked approval's payment orders at the provider, then records what that found (ClosePaymentOrders).
 * The job is derived from the case (paymentJobs) until the case records the outcome, so a crash, a lost Redis or
 * failed attempts only delay it: the reconciler adds it again. Closing is idempotent at the provider and the command
 * id is the job id, so running it twice closes nothing twice and records once.
 *
 * The race with a payer paying at the same moment is settled by the provider, not here: closePayment answers each
 * order closed (it can never be paid now) or succeeded (paid before the close took), never pending. Succeeded, the
 * payment is recorded, flagged for refund, and nothing is recorded as closed; closed, the case records it. So the
 * outcome is either "closed and never paid" or "paid and on the books to refund", never money taken and not recorded:
 * if recording fails, the case still wants the job, and the next run asks the provider again and gets the same answer.
 */
export function startPaymentWorker(options: {
  queue: JobQueue;
  payments: PaymentProvider;
  clock: Clock;
  load: (caseId: string) => Promise<CaseState>;
  handle: (command: CaseCommand) => Promise<unknown>;
  onRefused?: (error: DomainError, payload: PaymentPayload) => void;
}): Worker {
  return options.queue.process<PaymentPayload>(
    PAYMENT_QUEUE,
    async (job) => {
      const { caseId } = job.payload;
      const provider = options.payments;
      // Recorded since the job was added (a run before this one, or the applicant's own request found the payment).
      if (!paymentOrdersToClose(await options.load(caseId))) return;
      const closed: string[] = [];
      let paid: ProviderPayment | null = null;
      for (let attempt = 1; attempt <= MAX_PAYMENT_ATTEMPTS && paid === null; attempt++) {
        const orderId = paymentOrderId(caseId, attempt);
        const order = await provider.closePayment(orderId);
        // Opened one after another: none exists after the first the provider never saw.
        if (order === null) break;
        if (order.status === 'pending') throw new Error(`${provider.name} left order ${orderId} pending when asked to close it; asking again`);
        if (order.status === 'succeeded') paid = order;
        else if (order.status === 'closed') closed.push(orderId);
      }
      const base = { type: 'ClosePaymentOrders' as const, commandId: job.id, caseId, actor: PAYMENTS_ACTOR, provider: provider.name, orderIds: closed };
      const command: CaseCommand = paid
        ? { ...base, paid: { paymentId: paid.orderId, providerRef: paid.providerRef, amount: paid.amount, currency: paid.currency, paidAt: paid.paidAt ?? options.clock.now().toISOString() } }
        : base;
      try {
        await options.handle(command);
      } catch (error) {
        // Refused (a payment the provider took that the case cannot take as it stands, say): reported, and thrown so
        // the job fails; the case still wants it, so the reconciler runs it again rather than the money going unseen.
        if (error instanceof DomainError) options.onRefused?.(error, job.payload);
        throw error;
      }
    },
    { concurrency: 2 },
  );
}
