import type { CommandOf } from '../../domain/case/commands.ts';
import { InvalidCommandError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { assessFee } from '../../domain/fees/fee.ts';
import { feeOwed, refundable, type CaseContext } from '../case-context.ts';
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
  const owed = feeOwed(state.context);
  const problems: string[] = [];
  if (!Number.isInteger(command.amount) || command.amount !== owed) problems.push(`the payment of ${command.amount} fen does not match the ${owed} fen owed`);
  if (command.currency !== 'CNY') problems.push(`currency must be CNY, got ${String(command.currency)}`);
  for (const key of ['paymentId', 'provider', 'providerRef', 'paidAt'] as const) if (!command[key]?.trim()) problems.push(`${key} must not be empty`);
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  const { paymentId, provider, providerRef, amount, currency, paidAt } = command;
  // Confirmed for an order started before the approval was revoked: the money is the applicant's, to be refunded.
  const refundDue = state.status === 'revoked' ? `paid after the approval was revoked${state.context.closedOn ? ` on ${state.context.closedOn}` : ''}` : undefined;
  const events: CaseEvent[] = [{ type: 'PaymentReceived', data: { paymentId, provider, providerRef, amount, currency, paidAt, ...(refundDue ? { refundDue } : {}) } }];
  if (state.status === 'awaitingPayment' && state.context.decision?.by === 'rule') {
    events.push(certificateFor(state.context, env));
    if (closableAfter(state.context, env)) events.push({ type: 'CaseClosed', data: { closedOn: env.today } });
  }
  return events;
}

export function refundPayment(command: CommandOf<'RefundPayment'>, state: CaseState, _env: DecideEnvironment): CaseEvent[] {
  const left = refundable(state.context);
  const problems: string[] = [];
  if (!command.reason?.trim()) problems.push('a refund states its reason (told to the applicant)');
  if (!Number.isInteger(command.amount) || command.amount < 1 || command.amount > left) problems.push(`amount must be a whole number of fen from 1 to ${left} (paid and not yet refunded), got ${command.amount}`);
  if (state.context.fee?.paid && command.paymentId !== state.context.fee.paid.paymentId) problems.push(`payment ${command.paymentId} is not this case's payment`);
  // Two clerks refunding at once ask the provider under the same refund id and it moves the money once: once on record.
  if (state.context.fee?.refundIds?.includes(command.refundId)) problems.push(`refund ${command.refundId} is on record already`);
  if (problems.length) throw new InvalidCommandError(command.type, problems);
  const { refundId, paymentId, provider, providerRef, amount, refundedAt } = command;
  return [{ type: 'PaymentRefunded', data: { refundId, paymentId, provider, providerRef, amount, reason: command.reason.trim(), refundedAt } }];
}
