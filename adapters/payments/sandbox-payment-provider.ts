import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/time/clock.ts';
import { PaymentRefusedError, type PaymentOrder, type PaymentProvider, type ProviderPayment, type ProviderRefund, type RefundRequest } from '../../domain/ports/payments.ts';

export interface SandboxPaymentProvider extends PaymentProvider {
  /**
   * The payer pays a pending order (what the provider's app or cashier page does). A closed order refuses the payment
   * (PaymentRefusedError), as a provider's cashier page does; a settled one is left as it is.
   */
  payerConfirms(orderId: string): void;
  /** The payer gives up or the bank declines. */
  payerDeclines(orderId: string): void;
  /**
   * The refund with this id, when it is asked for, ends failed at the provider (WeChat Pay's CLOSED: the merchant's
   * balance short of it for days, say): no money goes back.
   */
  refundFails(refundId: string): void;
  /**
   * The refund with this id, when it is asked for, is accepted but left processing (WeChat Pay's PROCESSING): it
   * answers pending, its amount already held against the order, until refundSettles.
   */
  refundProcessing(refundId: string): void;
  /** A refund left processing completes: the money went back. */
  refundSettles(refundId: string): void;
}

export interface SandboxOptions {
  clock: Clock;
  /**
   * The demo wallet pays at once, so an order is answered succeeded when created (the embedded default, so a demo
   * citizen can pay with one click). false: orders stay pending until payerConfirms, as with a real provider.
   */
  autoConfirm?: boolean;
}

const ref = (prefix: string, id: string) => `${prefix}${createHash('sha256').update(id).digest('hex').slice(0, 20).toUpperCase()}`;

/**
 * An in-process payment provider for development, demos and tests: no money moves, but it keeps the rules a real
 * provider keeps (idempotent order and refund ids, refunds only of what was paid, exact amounts), so the platform's
 * handling of them is exercised. One instance per process; its orders live in memory.
 */
export function createSandboxPaymentProvider(options: SandboxOptions): SandboxPaymentProvider {
  const orders = new Map<string, ProviderPayment>();
  const refunds = new Map<string, ProviderRefund>();
  const failing = new Set<string>();
  const processing = new Set<string>();
  const now = () => options.clock.now().toISOString();
  const copy = (payment: ProviderPayment): ProviderPayment => ({ ...payment });
  const known = (orderId: string) => {
    const order = orders.get(orderId);
    if (!order) throw new PaymentRefusedError('sandbox', `order ${orderId} does not exist`);
    return order;
  };
  const settle = (orderId: string, status: 'succeeded' | 'failed') => {
    const order = known(orderId);
    if (order.status === 'closed') throw new PaymentRefusedError('sandbox', `order ${orderId} is closed`);
    if (order.status !== 'pending') return;
    orders.set(orderId, { ...order, status, paidAt: status === 'succeeded' ? now() : null, payUrl: null });
  };
  return {
    name: 'sandbox',
    async createPayment(order: PaymentOrder) {
      if (!order.orderId || order.orderId.length > 64) throw new PaymentRefusedError('sandbox', 'orderId must be 1-64 characters');
      if (!Number.isSafeInteger(order.amount) || order.amount < 1) throw new PaymentRefusedError('sandbox', `amount must be a whole number of fen, at least 1, got ${order.amount}`);
      const existing = orders.get(order.orderId);
      if (existing) {
        if (existing.amount !== order.amount) throw new PaymentRefusedError('sandbox', `order ${order.orderId} exists for ${existing.amount} fen, not ${order.amount}`);
        return copy(existing);
      }
      const providerRef = ref('SBX', order.orderId);
      orders.set(order.orderId, { orderId: order.orderId, providerRef, status: 'pending', amount: order.amount, currency: order.currency, paidAt: null, refunded: 0, payUrl: `sandbox://pay/${providerRef}` });
      if (options.autoConfirm) settle(order.orderId, 'succeeded');
      return copy(orders.get(order.orderId)!);
    },
    async queryPayment(orderId: string) {
      const order = orders.get(orderId);
      return order ? copy(order) : null;
    },
    // One synchronous step: a payerConfirms either ran before (the order answers succeeded) or finds it closed.
    async closePayment(orderId: string) {
      const order = orders.get(orderId);
      if (!order) return null;
      if (order.status === 'pending') orders.set(orderId, { ...order, status: 'closed', payUrl: null });
      return copy(orders.get(orderId)!);
    },
    async queryRefund(refundId: string) {
      const refund = refunds.get(refundId);
      return refund ? { ...refund } : null;
    },
    async refund(request: RefundRequest) {
      const previous = refunds.get(request.refundId);
      if (previous) {
        if (previous.orderId !== request.orderId || previous.amount !== request.amount) throw new PaymentRefusedError('sandbox', `refund ${request.refundId} was made for another order or amount`);
        return { ...previous };
      }
      const order = known(request.orderId);
      if (order.status !== 'succeeded') throw new PaymentRefusedError('sandbox', `order ${request.orderId} is ${order.status}, not paid`);
      if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > order.amount - order.refunded) {
        throw new PaymentRefusedError('sandbox', `a refund must be 1 to ${order.amount - order.refunded} fen, got ${request.amount}`);
      }
      const failed = failing.delete(request.refundId);
      const held = !failed && processing.delete(request.refundId);
      if (!failed) orders.set(order.orderId, { ...order, refunded: order.refunded + request.amount });
      const refund: ProviderRefund = {
        refundId: request.refundId, orderId: request.orderId, providerRef: ref('SBXR', request.refundId), amount: request.amount,
        status: failed ? 'failed' : held ? 'pending' : 'succeeded', refundedAt: failed || held ? null : now(),
      };
      refunds.set(request.refundId, refund);
      return { ...refund };
    },
    payerConfirms: (orderId) => settle(orderId, 'succeeded'),
    payerDeclines: (orderId) => settle(orderId, 'failed'),
    refundFails: (refundId) => {
      failing.add(refundId);
    },
    refundProcessing: (refundId) => {
      processing.add(refundId);
    },
    refundSettles: (refundId) => {
      const refund = refunds.get(refundId);
      if (refund?.status === 'pending') refunds.set(refundId, { ...refund, status: 'succeeded', refundedAt: now() });
    },
  };
}
