export { PaymentRefusedError } from './port.ts';
export type { PaymentOrder, PaymentProvider, PaymentStatus, ProviderPayment, ProviderRefund, RefundRequest } from './port.ts';
export { createSandboxPaymentProvider, type SandboxOptions, type SandboxPaymentProvider } from './sandbox-payment-provider.ts';
