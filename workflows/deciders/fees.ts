import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent, CaseEventMap } from '../../domain/case/events.ts';
import { assessFee } from '../../domain/fees/fee.ts';
import { feeOwed, refundable, refundOnRecord, type CaseContext } from '../case-context.ts';
import type { CaseState } from '../case-state.ts';
import { certificateFor } from './completion.ts';
import type { DecideEnvironment } from './environment.ts';
import { closableAfter } from './follow-up.ts';

/**
 * 收费 on approval: the fee the service charges for this form (fixed, per unit, capped, waived by a rule), and, when
 * the service wants it paid before the certificate, the wait for payment. A free service records nothing.
 */
export function feeOnApproval(context: CaseContext, env: DecideEnvironment): CaseEvent[] {
  const assessment = assessFee(env.definition.fee, context.form);
  if (assessment.gross === 0) return [];
  const events: CaseEvent[] = [{ type: 'FeeAssessed', data: { ...assessment, assessedOn: env.today } }];
  if (assessment.payBeforeCertificate && assessment.amount > 0) {
    events.push({ type: 'PaymentRequired', data: { amount: assessment.amount, currency: assessment.currency, requiredOn: env.today } });
  }
  return events;
}

/** Whether these approval events leave the case waiting for payment (so nothing may follow them in this command). */
export function waitsForPayment(events: CaseEvent[]): boolean {
  return events.some((e) => e.type === 'PaymentRequired');
}

/**
 * Why no payment may be started on the case now (an order opened at the provider, the payer sent there to pay), or
 * null: only an approval that stands is paid for. Once it is revoked (告知承诺 found false) the fee stays unpaid on
 * the case's books, but asking the applicant for it would take money owed straight back. Refusing the start, not
 * the record: a payment started earlier and confirmed by the provider since is money taken, and payFee records it.
 */
export function paymentStartRefusal(state: CaseState): string | null {
  if (state.status === 'revoked') return `the approval was revoked${state.context.closedOn ? ` on ${state.context.closedOn}` : ''}: its fee is no longer payable`;
  if (state.context.decision?.outcome !== 'approved') return 'the case has no approval to pay for';
  return null;
}

/**
 * The provider confirmed the payment. A case the rules approved (秒批) goes on with no human step: its certificate
 * is issued as the rule would have issued it, and the case closes unless something is still owed.
 */
export function payFee(command: CommandOf<'PayFee'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const events: CaseEvent[] = [paymentReceived(command.type, command, state)];
  if (state.status === 'awaitingPayment' && state.context.decision?.by === 'rule') {
    events.push(certificateFor(state.context, env));
    if (closableAfter(state.context, env)) events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  }
  return events;
}

/** The payment the provider confirmed, as the case records it: exactly the fee owed. */
function paymentReceived(type: string, payment: Omit<CaseEventMap['PaymentReceived'], 'refundDue'>, state: CaseState): CaseEvent {
  const owed = feeOwed(state.context);
  const problems: string[] = [];
  if (!Number.isInteger(payment.amount) || payment.amount !== owed) problems.push(`the payment of ${payment.amount} fen does not match the ${owed} fen owed`);
  if (payment.currency !== 'CNY') problems.push(`currency must be CNY, got ${String(payment.currency)}`);
  for (const key of ['paymentId', 'provider', 'providerRef', 'paidAt'] as const) if (!payment[key]?.trim()) problems.push(`${key} must not be empty`);
  if (problems.length) throw new InvalidCommandError(type, problems);
  const { paymentId, provider, providerRef, amount, currency, paidAt } = payment;
  // Confirmed for an order started before the approval was revoked: the money is the applicant's, to be refunded.
  const refundDue = state.status === 'revoked' ? `paid after the approval was revoked${state.context.closedOn ? ` on ${state.context.closedOn}` : ''}` : undefined;
  return { type: 'PaymentReceived', data: { paymentId, provider, providerRef, amount, currency, paidAt, ...(refundDue ? { refundDue } : {}) } };
}

/** Payment attempts a case may open at the provider before asking again is refused (each one declined). */
export const MAX_PAYMENT_ATTEMPTS = 20;

/**
 * The platform's id of a case's nth payment order (out_trade_no): derived from the case, so a retried request, and
 * the job closing them after a revocation, find the same orders without a record of them. Attempts are opened one
 * after another, each only once the one before was declined (or closed), so the first id the provider never saw
 * ends the case's orders.
 */
export function paymentOrderId(caseId: string, attempt: number): string {
  return attempt === 1 ? `fee-${caseId}` : `fee-${caseId}-${attempt}`;
}

/**
 * Whether the case's payment orders must still be closed at the provider: its approval was revoked with the fee
 * unpaid, and neither their closing nor a payment is on record. Until one is, a durable job closes them (desiredJobs),
 * so a payer who kept the address of an order opened before the revocation cannot pay a fee no longer payable.
 */
export function paymentOrdersToClose(state: CaseState): boolean {
  return state.status === 'revoked' && feeOwed(state.context) > 0 && state.context.fee?.ordersClosedOn === undefined;
}

/**
 * What closing the orders found. The provider decides the race with a payer paying at that moment (the port's
 * closePayment answers closed or paid, never pending): closed, the case records that no order can be paid any more;
 * paid first, the money was taken, so the case records the payment, flagged for refund, and no closing. Never both,
 * and never neither: a payment the provider took is on the books either way. Nothing to do any more (closed or paid
 * on record since the job started) records nothing, so a job delivered twice is harmless.
 */
export function closePaymentOrders(command: CommandOf<'ClosePaymentOrders'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  if (!paymentOrdersToClose(state)) return [];
  if (command.paid) return [paymentReceived(command.type, { ...command.paid, provider: command.provider }, state)];
  const problems: string[] = [];
  if (!command.provider?.trim()) problems.push('provider must not be empty');
  if (!Array.isArray(command.orderIds) || command.orderIds.some((id) => typeof id !== 'string' || !id.trim())) problems.push('orderIds must be a list of order ids');
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  return [{ type: 'PaymentOrdersClosed', data: { orderIds: [...command.orderIds], provider: command.provider, closedOn: env.today } }];
}

/**
 * The platform's id of a case's nth refund (out_refund_no): derived from the case, as order ids are, so a refund whose
 * money moved but whose record was lost is found again under the same id whatever request comes next.
 */
export function refundIdFor(caseId: string, n: number): string {
  return `refund-${caseId}-${n}`;
}

/**
 * The case's next refund id: one after every refund on record, refunded or failed at the provider (a failed id is
 * spent there, as a declined order's is, so the refund made instead takes the next one).
 */
export function nextRefundId(context: CaseContext): string {
  return refundIdFor(context.caseId, (context.fee?.refundIds?.length ?? 0) + (context.fee?.failedRefundIds?.length ?? 0) + 1);
}

/**
 * The provider answered that a refund failed (it closed it): no money went back. On record, so that the clerk
 * sees it and the case neither counts it refunded nor uses its id again.
 */
export function recordRefundFailure(command: CommandOf<'RecordRefundFailure'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const problems: string[] = [];
  for (const key of ['refundId', 'paymentId', 'provider', 'providerRef'] as const) if (!command[key]?.trim()) problems.push(`${key} must not be empty`);
  if (!Number.isInteger(command.amount) || command.amount < 1) problems.push(`amount must be a whole number of fen, at least 1, got ${command.amount}`);
  if (state.context.fee?.paid && command.paymentId !== state.context.fee.paid.paymentId) problems.push(`payment ${command.paymentId} is not this case's payment`);
  if (refundOnRecord(state.context, command.refundId)) problems.push(`refund ${command.refundId} is on record already`);
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  const { refundId, paymentId, provider, providerRef, amount } = command;
  return [{ type: 'PaymentRefundFailed', data: { refundId, paymentId, provider, providerRef, amount, reportedAt: env.now } }];
}

export function refundPayment(command: CommandOf<'RefundPayment'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  const left = refundable(state.context);
  const problems: string[] = [];
  if (!command.reason?.trim()) problems.push('a refund states its reason (told to the applicant)');
  if (!Number.isInteger(command.amount) || command.amount < 1 || command.amount > left) problems.push(`amount must be a whole number of fen from 1 to ${left} (paid and not yet refunded), got ${command.amount}`);
  if (state.context.fee?.paid && command.paymentId !== state.context.fee.paid.paymentId) problems.push(`payment ${command.paymentId} is not this case's payment`);
  // Two clerks refunding at once ask the provider under the same refund id and it moves the money once: once on record.
  if (refundOnRecord(state.context, command.refundId)) problems.push(`refund ${command.refundId} is on record already`);
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  const { refundId, paymentId, provider, providerRef, amount, refundedAt } = command;
  return [{ type: 'PaymentRefunded', data: { refundId, paymentId, provider, providerRef, amount, reason: command.reason.trim(), refundedAt } }];
}
