/**
 * The payment-provider port (收费). Shaped after the mainland providers' merchant APIs (WeChat Pay v3, Alipay open
 * platform, UnionPay): the merchant names each order and each refund with its own id (out_trade_no, out_refund_no),
 * which makes creating them idempotent; the payer completes the order at the provider (app, QR code, bank page);
 * the merchant learns the outcome from a signed notification and confirms it by querying the order. Amounts are
 * whole fen, as those APIs take them. README.md ("Fees") sets out how a real adapter maps onto this.
 */

export interface PaymentOrder {
  /** The platform's order id (out_trade_no): one per fee, so a retried request finds the same order. */
  orderId: string;
  /** Whole fen, at least 1. */
  amount: number;
  currency: 'CNY';
  /** What the payer sees on the provider's page; no personal data. */
  description: string;
}

/**
 * `closed`: the merchant closed the order while it was pending (WeChat Pay's CLOSED, Alipay's TRADE_CLOSED); it can
 * never be paid afterwards.
 */
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';

export interface ProviderPayment {
  orderId: string;
  /** The provider's transaction id (transaction_id / trade_no). */
  providerRef: string;
  status: PaymentStatus;
  amount: number;
  currency: 'CNY';
  /** When the payer paid; null unless succeeded. */
  paidAt: string | null;
  /** Fen refunded so far. */
  refunded: number;
  /** Where the payer completes a pending order (a code_url or a cashier page); null once settled or closed. */
  payUrl: string | null;
}

export interface RefundRequest {
  /** The platform's refund id (out_refund_no): a retried refund with the same id refunds once. */
  refundId: string;
  orderId: string;
  amount: number;
  reason: string;
}

/**
 * `pending`: accepted, the money not back with the payer yet (WeChat Pay's PROCESSING, and its ABNORMAL: the money
 * left the merchant and waits at the provider until the merchant sends it on, so it is not failed). `failed`: the
 * provider closed the refund or could not make it, and no money left the merchant for it (WeChat Pay's CLOSED): none
 * will go back under this refund id, and a refund of that money is made under a new one.
 */
export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export interface ProviderRefund {
  refundId: string;
  orderId: string;
  /** The provider's refund id. */
  providerRef: string;
  amount: number;
  status: RefundStatus;
  /** When the money went back; null unless succeeded. */
  refundedAt: string | null;
}

/** The provider refused the request as it stands (an order id reused for another amount, a refund above what was paid, ...): not retried. */
export class PaymentRefusedError extends Error {
  readonly code = 'PAYMENT_REFUSED';
  constructor(readonly provider: string, message: string) {
    super(message);
    this.name = 'PaymentRefusedError';
  }
}

export interface PaymentProvider {
  /** Named in the events: "sandbox", "wechatpay", ... */
  readonly name: string;
  /** Opens the order, or answers the existing one for a known order id (the same amount, or PaymentRefusedError). */
  createPayment(order: PaymentOrder): Promise<ProviderPayment>;
  /** The order as the provider knows it now; null for an order id it has never seen. */
  queryPayment(orderId: string): Promise<ProviderPayment | null>;
  /**
   * Closes a pending order so that it can no longer be paid (WeChat Pay's close order, Alipay's trade close), and
   * answers the order as it stands afterwards. The provider settles the race with a payer paying at that very moment:
   * the answer is `closed` (no payment will ever be taken for it) or `succeeded` (paid first: the caller records the
   * payment, it is money taken), never `pending`; an adapter whose provider cannot tell yet (the payer is mid-payment)
   * throws, to be asked again. Idempotent: a closed order answers closed again, a declined one `failed`, an order id the
   * provider never saw null; none of these is an error.
   */
  closePayment(orderId: string): Promise<ProviderPayment | null>;
  /**
   * Refunds (part of) a succeeded order; a known refund id answers the first refund and refunds nothing more, a
   * failed one included. A failed refund leaves the order's `refunded` as it was.
   */
  refund(request: RefundRequest): Promise<ProviderRefund>;
  /**
   * The refund as the provider knows it now; null for a refund id it has never seen (WeChat Pay's query by
   * out_refund_no, Alipay's refund query). How a refund made but never recorded is found again.
   */
  queryRefund(refundId: string): Promise<ProviderRefund | null>;
}
