/**
 * 收费 over HTTP: the applicant pays the fee through the payment provider, a clerk refunds. The provider is asked
 * only after the domain has said the command fits the case (owner, state, amount), so a refused request never
 * opens an order or moves money; the order and refund ids are derived from the case (its attempts, the refunds it has
 * on record), so a request retried under any key finds the provider's first answer and the case records it once.
 */
import type { Engine } from '../../runtime/engine.ts';
import { PaymentRefusedError, type ProviderPayment } from '../../adapters/payments/index.ts';
import type { CommandOf } from '../../domain/case/commands.ts';
import { caseStream } from '../../domain/case/events.ts';
import { feeOwed, IDEMPOTENCY_STREAM_PREFIX, IdempotencyKeyReusedError, MAX_PAYMENT_ATTEMPTS, paymentOrderId as orderIdFor, paymentStartRefusal, refundable } from '../../workflows/index.ts';
import { conflict, defineRoute, registerErrorMapping, unprocessable, type RouteContext } from '../http/index.ts';
import { caseParams, COMMAND_RESULT_REF, runCommand } from './command-route.ts';

registerErrorMapping('PAYMENT_REFUSED', (error) => unprocessable(`the payment provider refused: ${error.message}`, { slug: 'payment-refused', title: 'Refused by the payment provider' }));

const problems = {
  404: { description: 'No such case for this caller' },
  409: { description: 'Refused in the case\'s state (nothing owed, the fee no longer payable as the approval was revoked, nothing paid to refund), stale If-Match, or (a refund) a refund the provider made earlier for another amount is not on record yet' },
  422: { description: 'The command does not fit the case, the provider refused it, or the Idempotency-Key was used for another request' },
};

/** A pending order: nothing is recorded on the case until the provider says it is paid. */
export const paymentPendingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'orderId', 'status', 'amount', 'currency', 'payUrl'],
  properties: {
    caseId: { type: 'string' },
    orderId: { type: 'string', description: 'The platform\'s order id at the provider (one per fee).' },
    status: { enum: ['pending', 'failed'] },
    amount: { type: 'integer', description: 'Fen.' },
    currency: { const: 'CNY' },
    payUrl: { type: ['string', 'null'], description: 'Where the payer completes the order at the provider; null once failed.' },
  },
};

/** A refund the provider has accepted but not yet completed: nothing is recorded on the case until it has. */
export const refundPendingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'refundId', 'status', 'amount', 'currency'],
  properties: {
    caseId: { type: 'string' },
    refundId: { type: 'string', description: 'The platform\'s refund id at the provider (derived from the Idempotency-Key).' },
    status: { const: 'pending' },
    amount: { type: 'integer', description: 'Fen.' },
    currency: { const: 'CNY' },
  },
};

type Ctx = Pick<RouteContext<unknown, unknown, unknown>, 'ifMatch' | 'idempotencyKey'>;

export function paymentRoutes(engine: Engine) {
  const provider = () => engine.payments;
  /**
   * An Idempotency-Key this caller already used for another command or another case is refused before the provider
   * is asked: the domain's check cannot see it (the key is claimed only when recording), so money would move under it
   * and the recording then be refused, leaving a charge or refund the case does not show.
   */
  const keyFree = async (ctx: Ctx & { commandId: string }, caseId: string, type: 'PayFee' | 'RefundPayment') => {
    if (ctx.idempotencyKey === null || ctx.idempotencyKey === undefined) return;
    const used = (await engine.stores.eventStore.readStream(`${IDEMPOTENCY_STREAM_PREFIX}${ctx.commandId}`))[0]?.data;
    if (used && (used.caseId !== caseId || used.command !== type)) throw new IdempotencyKeyReusedError(type);
  };
  /** The case's current order id: the first of its attempts the provider has not declined or closed (or never seen). */
  const openOrderId = async (caseId: string): Promise<string> => {
    for (let attempt = 1; attempt <= MAX_PAYMENT_ATTEMPTS; attempt++) {
      const orderId = orderIdFor(caseId, attempt);
      const known = await provider().queryPayment(orderId);
      if (known === null || (known.status !== 'failed' && known.status !== 'closed')) return orderId;
    }
    throw new PaymentRefusedError(provider().name, `the last ${MAX_PAYMENT_ATTEMPTS} payment attempts on this case were declined`);
  };
  /**
   * A payment the provider confirmed for one of the case's orders, looked up without opening one: how money taken
   * for an order started before the fee stopped being payable is still found and recorded.
   */
  const confirmedOrder = async (caseId: string): Promise<ProviderPayment | null> => {
    for (let attempt = 1; attempt <= MAX_PAYMENT_ATTEMPTS; attempt++) {
      const known = await provider().queryPayment(orderIdFor(caseId, attempt));
      if (known === null) return null;
      if (known.status === 'succeeded') return known;
    }
    return null;
  };
  /** The domain's verdict without recording: throws what handling would (404 stranger, 409 state, 422 content). */
  const check = (ctx: Ctx, command: CommandOf<'PayFee'> | CommandOf<'RefundPayment'>) => runCommand(engine, { ifMatch: ctx.ifMatch }, command, 'check');
  return [
    defineRoute<{ caseId: string }, Record<string, never>, Record<string, never>>({
      method: 'post',
      path: '/cases/:caseId/payment',
      summary: 'Pay the fee (收费) through the payment provider; recorded once the provider confirms it',
      description: 'Opens (or finds) the case\'s order at the provider for the fee owed. Paid: the payment is recorded (200). Still pending at the provider: 202 with where to pay; call again once paid. Nothing is owed: 409. The approval was revoked: 409 `fee-not-payable` and no order is opened (the platform closes the case\'s orders still pending at the provider, so they can no longer be paid), but a payment the provider confirmed for an order opened before is recorded (200), flagged `refundDue`.',
      tags: ['citizen'],
      auth: ['citizen'],
      params: caseParams,
      body: { type: 'object', properties: {}, additionalProperties: false },
      command: 'PayFee',
      headers: { etag: true },
      responses: { 200: { description: 'Paid and recorded (or replayed)', schema: COMMAND_RESULT_REF }, 202: { description: 'The order waits for the payer at the provider; nothing recorded', schema: paymentPendingSchema }, ...problems },
      handler: async (ctx) => {
        const caseId = ctx.params.caseId;
        const state = await engine.commands.load(caseId).catch(() => null);
        const recorded = state?.context.fee?.paid ?? null;
        const base = { type: 'PayFee' as const, commandId: ctx.commandId, caseId, actor: ctx.actor(), correlationId: ctx.requestId, provider: provider().name, currency: 'CNY' as const };
        const owed = state ? feeOwed(state.context) : 0;
        const verdict = await check(ctx, { ...base, paymentId: recorded?.paymentId ?? orderIdFor(caseId, 1), amount: owed, providerRef: '-', paidAt: '-' });
        // A retry of a recorded payment answers as the first time: the provider's order is the one recorded.
        const paidBefore = verdict.body.replayed ? recorded : null;
        await keyFree(ctx, caseId, 'PayFee');
        // No longer payable: nothing new starts (no order, no address to pay at, even for an order still pending), but
        // money the provider took for an order opened before is the applicant's and must be on the books to be refunded.
        const refusal = state && !paidBefore ? paymentStartRefusal(state) : null;
        if (refusal) {
          const taken = await confirmedOrder(caseId);
          if (!taken) throw conflict(`${refusal}; no payment is started for it`, { slug: 'fee-not-payable', title: 'The fee is no longer payable' });
          return runCommand(engine, ctx, { ...base, paymentId: taken.orderId, amount: taken.amount, providerRef: taken.providerRef, paidAt: taken.paidAt ?? engine.clock.now().toISOString() });
        }
        // Only now, the domain having accepted the command, is the provider asked which order is open.
        const orderId = paidBefore ? paidBefore.paymentId : await openOrderId(caseId);
        let order = paidBefore
          ? { status: 'succeeded' as const, providerRef: paidBefore.providerRef, paidAt: paidBefore.paidAt, amount: paidBefore.amount, payUrl: null }
          : await provider().createPayment({ orderId, amount: owed, currency: 'CNY', description: `${state?.definition.name.en ?? 'Service'} fee` });
        if (order.status !== 'succeeded') {
          // Asked again once the order exists: a revocation recorded since the check above may have had its orders
          // closed (ClosePaymentOrders) before this one was opened, and that job will not look again. Opened before
          // the revocation, the job sees the order; opened after, this sees the revocation and closes it itself. So
          // no order opened around a revocation is left open, and no address to pay at is handed out for one.
          // Fails closed: not knowing whether the case is still payable (the store did not answer), the order is
          // closed and no address handed out; the outage is answered (503) and the applicant asks again.
          const now = await engine.commands.load(caseId).catch(async (error: unknown) => {
            await provider().closePayment(orderId).catch(() => undefined);
            throw error;
          });
          const late = now ? paymentStartRefusal(now) : null;
          if (late || order.status === 'closed') {
            const closed = await provider().closePayment(orderId);
            // Paid in between: the payment is recorded like any other confirmed after a revocation (refundDue).
            if (closed?.status !== 'succeeded') throw conflict(`${late ?? 'the order was closed at the provider'}; no payment is started for it`, { slug: 'fee-not-payable', title: 'The fee is no longer payable' });
            order = closed;
          } else {
            return { status: 202, body: { caseId, orderId, status: order.status, amount: order.amount, currency: 'CNY', payUrl: order.status === 'pending' ? order.payUrl : null } };
          }
        }
        return runCommand(engine, ctx, { ...base, paymentId: orderId, amount: order.amount, providerRef: order.providerRef, paidAt: order.paidAt ?? engine.clock.now().toISOString() });
      },
    }),
    defineRoute<{ caseId: string }, Record<string, never>, { reason: string; amount?: number }>({
      method: 'post',
      path: '/cases/:caseId/refund',
      summary: 'Refund the fee paid, or part of it (fen), with the reason told to the applicant (approver role)',
      tags: ['clerk'],
      auth: ['clerk'],
      params: caseParams,
      body: {
        type: 'object',
        required: ['reason'],
        properties: { reason: { type: 'string', minLength: 1, maxLength: 500 }, amount: { type: 'integer', minimum: 1, maximum: 10_000_000_000, description: 'Fen; everything still refundable when absent.' } },
      },
      command: 'RefundPayment',
      headers: { etag: true },
      responses: {
        200: { description: 'Refunded and recorded (or replayed)', schema: COMMAND_RESULT_REF },
        202: { description: 'The provider is still processing the refund; nothing recorded. Send the same request with the same Idempotency-Key again to record it once completed', schema: refundPendingSchema },
        ...problems,
      },
      handler: async (ctx) => {
        const caseId = ctx.params.caseId;
        const state = await engine.commands.load(caseId).catch(() => null);
        const paid = state?.context.fee?.paid ?? null;
        const amount = ctx.body.amount ?? (state ? refundable(state.context) : 0);
        // The case's next refund, numbered as the case counts them (as orders are): money that moved for a refund whose
        // record was lost (the process stopped in between) is found again under the same id whatever key comes next,
        // where an id from the key let the clerk's next click, under a new key, refund a second time.
        const refundId = `refund-${caseId}-${(state?.context.fee?.refundIds?.length ?? 0) + 1}`;
        const base = { type: 'RefundPayment' as const, commandId: ctx.commandId, caseId, actor: ctx.actor(), correlationId: ctx.requestId, refundId, paymentId: paid?.paymentId ?? '-', provider: provider().name, amount, reason: ctx.body.reason };
        const verdict = await check(ctx, { ...base, providerRef: '-', refundedAt: '-' });
        // A retried refund moves no money twice: the case already has it, so the answer is the first one's. Only the
        // same request replays: the key with another amount or reason would otherwise answer 200 for money never moved.
        if (verdict.body.replayed) {
          const events = await engine.stores.eventStore.readStream(caseStream(caseId));
          const first = events.find((e) => e.type === 'PaymentRefunded' && e.metadata.commandId === ctx.commandId)?.data as { amount?: number; reason?: string } | undefined;
          const sameAmount = ctx.body.amount === undefined ? refundable(state!.context) === 0 : first?.amount === ctx.body.amount;
          if (!first || !sameAmount || first.reason !== ctx.body.reason.trim()) throw new IdempotencyKeyReusedError('RefundPayment');
          return verdict;
        }
        if (!paid) throw new PaymentRefusedError(provider().name, 'nothing was paid on this case');
        await keyFree(ctx, caseId, 'RefundPayment');
        // Made earlier for another amount and never recorded: the clerk decides, knowing what already moved. The same
        // amount is recorded as it is (the provider answers the first refund and moves nothing more).
        const earlier = await provider().queryRefund(refundId);
        if (earlier && earlier.amount !== amount) {
          throw conflict(
            `refund ${refundId} of ${earlier.amount} fen was made at the provider and is not on record: refund ${earlier.amount} fen to record it (no more money moves), then refund again if more is due`,
            { slug: 'refund-not-on-record', title: 'A refund made earlier is not on record', extensions: { refundId, amount: earlier.amount } },
          );
        }
        const refund = await provider().refund({ refundId, orderId: paid.paymentId, amount, reason: ctx.body.reason });
        // Accepted but not completed (a real provider's PROCESSING): the money has not come back yet and may never,
        // so the case does not say it has. The same key again asks the provider about this very refund.
        if (refund.status !== 'succeeded') return { status: 202, body: { caseId, refundId, status: 'pending', amount: refund.amount, currency: 'CNY' } };
        return runCommand(engine, ctx, { ...base, providerRef: refund.providerRef, refundedAt: refund.refundedAt ?? engine.clock.now().toISOString() });
      },
    }),
  ];
}
