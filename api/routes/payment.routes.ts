/**
 * 收费 over HTTP: the applicant pays the fee through the payment provider, a clerk refunds. The provider is asked
 * only after the domain has said the command fits the case (owner, state, amount), so a refused request never
 * opens an order or moves money; the order and refund ids are derived from the case (its attempts, the refunds it has
 * on record), so a request retried under any key finds the provider's first answer and the case records it once.
 */
import type { Engine } from '../../runtime/engine.ts';
import { PaymentRefusedError, type ProviderPayment, type ProviderRefund } from '../../adapters/payments/index.ts';
import type { CommandOf } from '../../domain/case/commands.ts';
import { caseStream } from '../../domain/case/events.ts';
import { DomainError } from '../../domain/case/errors.ts';
import { feeOwed, IDEMPOTENCY_STREAM_PREFIX, IdempotencyKeyReusedError, MAX_PAYMENT_ATTEMPTS, nextRefundId, paymentOrderId as orderIdFor, paymentStartRefusal, refundable, refundIdFor, refundOnRecord } from '../../workflows/index.ts';
import { conflict, defineRoute, registerErrorMapping, unprocessable, type RouteContext } from '../http/index.ts';
import { caseParams, COMMAND_RESULT_REF, runCommand } from './command-route.ts';

registerErrorMapping('PAYMENT_REFUSED', (error) => unprocessable(`the payment provider refused: ${error.message}`, { slug: 'payment-refused', title: 'Refused by the payment provider' }));

const problems = {
  404: { description: 'No such case for this caller' },
  409: { description: 'Refused in the case\'s state (nothing owed, the fee no longer payable as the approval was revoked, nothing paid to refund), stale If-Match, or (a refund) a refund the provider made earlier for another amount is not on record yet, the refund named is on record already, it was recorded while the request was handled, or the provider failed it (`refund-failed`: on record, nothing went back; sent again, the refund is made under a new refund id)' },
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
    refundId: { type: 'string', description: 'The platform\'s refund id at the provider (the case\'s next refund).' },
    status: { const: 'pending' },
    amount: { type: 'integer', description: 'Fen.' },
    currency: { const: 'CNY' },
  },
};

/** Who records what the provider answered about a refund, as the payment jobs record theirs. */
const PAYMENTS_ACTOR = { kind: 'system' as const, id: 'payments' };

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
    defineRoute<{ caseId: string }, Record<string, never>, { reason: string; amount?: number; refundId?: string }>({
      method: 'post',
      path: '/cases/:caseId/refund',
      summary: 'Refund the fee paid, or part of it (fen), with the reason told to the applicant (approver role)',
      description: 'Refunds under the case\'s next refund id (`refund-<caseId>-<n>`). A refund made at the provider under that id and not on record (the process stopped before recording it, or another clerk\'s refund is being recorded) is recorded when the amount is the same, moving no more money; another amount is a 409 `refund-not-on-record` naming its `refundId` and `amount`: send both back (`refundId`) to record exactly that refund. A `refundId` already on record moves nothing (409 `refund-on-record`); one recorded while this request was handled is a 409 `stale-revision`: reload the case. A refund the provider closed or failed (nothing went back) is put on record (`PaymentRefundFailed`, the case\'s `fee.failedRefunds`) and never counted refunded: made now, it is a 409 `refund-failed`; found for the next refund id (left pending before), the refund is made under the id after it.',
      tags: ['clerk'],
      auth: ['clerk'],
      params: caseParams,
      body: {
        type: 'object',
        required: ['reason'],
        properties: {
          reason: { type: 'string', minLength: 1, maxLength: 500 },
          amount: { type: 'integer', minimum: 1, maximum: 10_000_000_000, description: 'Fen; everything still refundable when absent.' },
          refundId: { type: 'string', minLength: 1, maxLength: 100, description: 'The refund to record or make: the one a 409 `refund-not-on-record` named. Absent: the case\'s next refund.' },
        },
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
        const next = state ? nextRefundId(state.context) : refundIdFor(caseId, 1);
        const named = ctx.body.refundId;
        const base = { type: 'RefundPayment' as const, commandId: ctx.commandId, caseId, actor: ctx.actor(), correlationId: ctx.requestId, refundId: named ?? next, paymentId: paid?.paymentId ?? '-', provider: provider().name, amount, reason: ctx.body.reason };
        const namedOnRecord = named !== undefined && state !== null && refundOnRecord(state.context, named);
        // A refund named that is on record already is answered below, after a replay had its chance to answer.
        const verdict = await check(ctx, { ...base, refundId: namedOnRecord ? next : base.refundId, providerRef: '-', refundedAt: '-' });
        // A retried refund moves no money twice: the case already has it, so the answer is the first one's. Only the
        // same request replays: the key with another amount or reason would otherwise answer 200 for money never moved.
        if (verdict.body.replayed) {
          const events = await engine.stores.eventStore.readStream(caseStream(caseId));
          const first = events.find((e) => e.type === 'PaymentRefunded' && e.metadata.commandId === ctx.commandId)?.data as { amount?: number; reason?: string; refundId?: string } | undefined;
          const sameAmount = ctx.body.amount === undefined ? refundable(state!.context) === 0 : first?.amount === ctx.body.amount;
          const sameRefund = named === undefined || first?.refundId === named;
          if (!first || !sameAmount || !sameRefund || first.reason !== ctx.body.reason.trim()) throw new IdempotencyKeyReusedError('RefundPayment');
          return verdict;
        }
        if (!paid) throw new PaymentRefusedError(provider().name, 'nothing was paid on this case');
        // Following a 409's advice names the refund it was about: that very refund is recorded or made, never the next
        // one, which would move the money a second time when the refund was recorded in between (two clerks at once).
        if (namedOnRecord) {
          const failed = state.context.fee?.failedRefundIds?.includes(named) === true;
          throw conflict(`refund ${named} is on record already${failed ? ' as failed at the provider (nothing went back)' : ''}: nothing moved; reload the case and refund again if more is due`, {
            slug: 'refund-on-record', title: 'The refund is on record already', extensions: { refundId: named },
          });
        }
        if (named !== undefined && named !== next) throw unprocessable(`refundId ${named} is not this case's next refund (${next}) nor one on record`, { slug: 'invalid-refund-id', title: 'Not one of this case\'s refunds' });
        await keyFree(ctx, caseId, 'RefundPayment');
        let refundId = named ?? next;
        /** Whether the refund was recorded while this request was being handled (another clerk's request, say). */
        const recordedMeanwhile = async () => {
          const now = await engine.commands.load(caseId).catch(() => null);
          return now !== null && refundOnRecord(now.context, refundId);
        };
        const meanwhile = () =>
          conflict(`refund ${refundId} was recorded while this request was being handled: nothing more moved; reload the case and refund again if more is due`, {
            slug: 'stale-revision', title: 'Stale revision', extensions: { refundId },
          });
        // The clerk's If-Match, moved on only past what this request records itself.
        let ifMatch = ctx.ifMatch;
        /** Puts a refund the provider failed on record: the clerk sees it, and the case neither counts it nor uses its id again. */
        const recordFailure = async (refund: ProviderRefund) => {
          const recorded = await engine.commands.handle(
            { type: 'RecordRefundFailure', commandId: `refund-failed-${refund.refundId}`, caseId, actor: PAYMENTS_ACTOR, correlationId: ctx.requestId, refundId: refund.refundId, paymentId: refund.orderId, provider: provider().name, providerRef: refund.providerRef, amount: refund.amount },
            ifMatch === null ? {} : { expectedRevision: ifMatch },
          );
          if (ifMatch !== null && !recorded.replayed) ifMatch = recorded.revision;
          return recorded.state;
        };
        const refundFailed = (refund: ProviderRefund) =>
          conflict(`refund ${refund.refundId} of ${refund.amount} fen failed at the provider (closed): no money went back. It is on record; a refund sent again is made under a new refund id`, {
            slug: 'refund-failed', title: 'The provider failed the refund', extensions: { refundId: refund.refundId, amount: refund.amount },
          });
        let earlier = await provider().queryRefund(refundId);
        // Failed at the provider (left pending here before, or made and never recorded): nothing went back and the id is
        // spent there, so it goes on record and the refund is made under the next id, as a declined order gives way to
        // the next one. A refund named is that one refund: its failure is the answer.
        for (let skipped = 1; earlier?.status === 'failed'; skipped++) {
          const now = await recordFailure(earlier);
          if (named !== undefined) throw refundFailed(earlier);
          if (skipped >= MAX_PAYMENT_ATTEMPTS) throw new PaymentRefusedError(provider().name, `the last ${MAX_PAYMENT_ATTEMPTS} refunds on this case failed`);
          refundId = nextRefundId(now.context);
          earlier = await provider().queryRefund(refundId);
        }
        // Made earlier for another amount and never recorded: the clerk decides, knowing what already moved. The same
        // amount is recorded as it is (the provider answers the first refund and moves nothing more).
        if (earlier && earlier.amount !== amount) {
          // Read before that refund was recorded, the case would call it "not on record" and the clerk, as told, would
          // ask its amount again under the next id: the case is read again to tell which.
          if (await recordedMeanwhile()) throw meanwhile();
          throw conflict(
            `refund ${refundId} of ${earlier.amount} fen was made at the provider and is not on record: send refundId ${refundId} with amount ${earlier.amount} to record it (no more money moves), then refund again if more is due`,
            { slug: 'refund-not-on-record', title: 'A refund made earlier is not on record', extensions: { refundId, amount: earlier.amount } },
          );
        }
        const refund = await provider().refund({ refundId, orderId: paid.paymentId, amount, reason: ctx.body.reason });
        if (refund.status === 'failed') {
          await recordFailure(refund);
          throw refundFailed(refund);
        }
        // Accepted but not completed (a real provider's PROCESSING, or WeChat Pay's ABNORMAL, the money held there): it
        // has not come back yet and may never, so the case does not say it has. The same key again asks the provider
        // about this very refund.
        if (refund.status === 'pending') return { status: 202, body: { caseId, refundId, status: 'pending', amount: refund.amount, currency: 'CNY' } };
        try {
          return await runCommand(engine, { ifMatch, idempotencyKey: ctx.idempotencyKey }, { ...base, refundId, providerRef: refund.providerRef, refundedAt: refund.refundedAt ?? engine.clock.now().toISOString() });
        } catch (error) {
          // The other request recorded this very refund first: the money moved once, and it is on record.
          if (error instanceof DomainError && (await recordedMeanwhile())) throw meanwhile();
          throw error;
        }
      },
    }),
  ];
}
