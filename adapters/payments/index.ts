export { PaymentRefusedError } from '../../domain/ports/payments.ts';
export type { PaymentOrder, PaymentProvider, PaymentStatus, ProviderPayment, ProviderRefund, RefundRequest, RefundStatus } from '../../domain/ports/payments.ts';
export { createSandboxPaymentProvider, type SandboxOptions, type SandboxPaymentProvider } from './sandbox-payment-provider.ts';
