import { expect } from 'chai';
import { createSandboxPaymentProvider, type PaymentProvider, type SandboxPaymentProvider } from '../../adapters/payments/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { until } from './http-engine.ts';

/** An errand's API call, as the HTTP and the browser test harnesses both make it. */
type Api = (token: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/** The household certificate's form: 秒批 approves it at once, and it then owes a fee of 20 CNY. */
export const HOUSEHOLD_FORM = { purpose: '入学', copies: 2 };

/**
 * A 秒批 household certificate applied for by the demo citizen (`citizen`: their token), its fee paid through the
 * engine's provider. With `closed`, answered once the certificate is issued and the case closed after the payment.
 */
export async function paidHouseholdCase(api: Api, citizen: string, options: { closed?: boolean } = {}): Promise<string> {
  const draft = await api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: HOUSEHOLD_FORM });
  const caseId = String(draft.body.caseId);
  await api(citizen, 'POST', `/cases/${caseId}/submit`, {});
  const reaches = (status: string) => until(`the case ${status}`, async () => ((await api(citizen, 'GET', `/cases/${caseId}`)).body.status === status ? true : null));
  await reaches('awaitingPayment');
  expect((await api(citizen, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(200);
  if (options.closed) await reaches('closed');
  return caseId;
}

/**
 * A provider whose payer pays at the provider (no demo wallet), with three moments a test can choose: the payer paying
 * at the very instant the platform closes an order (`payingAtClose`, the payment landing first), a hook run just
 * before the provider opens the next order (`beforeCreate`, taken once), and closes held until released
 * (`holdCloses`: the platform's close job waits at the provider meanwhile).
 */
export interface RacingPayments {
  sandbox: SandboxPaymentProvider;
  provider: PaymentProvider;
  payingAtClose: Set<string>;
  beforeCreate: ((orderId: string) => Promise<void>) | null;
  /** Holds every close until the answer is called; `closing` resolves once a close is waiting. */
  holdCloses(): { release: () => void; closing: Promise<void> };
}

export function racingPayments(): RacingPayments {
  const sandbox = createSandboxPaymentProvider({ clock: systemClock });
  let held: Promise<void> = Promise.resolve();
  let waiting: () => void = () => undefined;
  const payments: RacingPayments = {
    sandbox,
    payingAtClose: new Set<string>(),
    beforeCreate: null,
    holdCloses: () => {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      const closing = new Promise<void>((resolve) => (waiting = resolve));
      return { release, closing };
    },
    provider: {
      name: sandbox.name,
      createPayment: async (order) => {
        const hook = payments.beforeCreate;
        payments.beforeCreate = null;
        await hook?.(order.orderId);
        return sandbox.createPayment(order);
      },
      queryPayment: (orderId) => sandbox.queryPayment(orderId),
      closePayment: async (orderId) => {
        waiting();
        await held;
        if (payments.payingAtClose.delete(orderId)) sandbox.payerConfirms(orderId);
        return sandbox.closePayment(orderId);
      },
      queryRefund: (refundId) => sandbox.queryRefund(refundId),
      refund: (request) => sandbox.refund(request),
    },
  };
  return payments;
}

/** The demo licence is free: a version charging 30 CNY before the licence, published as the catalogue allows. */
export async function publishLicenceFee(api: Api, admin: string, reviewer: string): Promise<void> {
  const current = (await api(admin, 'GET', '/services/individual-business-licence')).body as Record<string, unknown> & { version: number };
  const path = '/admin/catalogue/services/individual-business-licence';
  const next = { ...current, version: current.version + 1, fee: { amount: 30, currency: 'CNY', payBefore: 'certificate' } };
  for (const [token, method, step, body] of [
    [admin, 'PUT', `${path}/draft`, next],
    [reviewer, 'POST', `${path}/versions/${next.version}/approve`, {}],
    [admin, 'POST', `${path}/versions/${next.version}/publish`, { override: { reason: 'fee schedule for the test' } }],
  ] as const) {
    const response = await api(token, method, step, body);
    expect(response.status, `${method} ${step}: ${JSON.stringify(response.body)}`).to.equal(200);
  }
}
