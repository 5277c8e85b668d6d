import { createSandboxPaymentProvider } from '../../adapters/payments/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { paymentProviderContract } from './payment-provider.contract.ts';

paymentProviderContract('sandbox (payer confirms at the provider)', async () => {
  const provider = createSandboxPaymentProvider({ clock: systemClock });
  return { provider, payerConfirms: async (orderId) => provider.payerConfirms(orderId), payerDeclines: async (orderId) => provider.payerDeclines(orderId), refundFails: async (refundId) => provider.refundFails(refundId), cleanup: async () => {} };
});

paymentProviderContract('sandbox (demo wallet: paid on creation)', async () => {
  const provider = createSandboxPaymentProvider({ clock: systemClock, autoConfirm: true });
  return { provider, payerConfirms: async (orderId) => provider.payerConfirms(orderId), payerDeclines: async (orderId) => provider.payerDeclines(orderId), refundFails: async (refundId) => provider.refundFails(refundId), cleanup: async () => {} };
});
