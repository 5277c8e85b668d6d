/**
 * The notification ports: how a rendered message leaves Errand. One port per channel kind, each with one contract
 * suite (test/contract/email-sender.contract.ts, sms-sender.contract.ts) that every adapter passes.
 */

export interface EmailMessage {
  /** The delivery id: sent as the Message-ID, so a resend after a crash is recognisably the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
  /** Content-Language (zh-CN, en). */
  language: string;
}

export interface EmailSender {
  readonly kind: string;
  send(message: EmailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface SmsMessage {
  /** The delivery id: the provider's idempotency reference, so a resend of the same id is one message. */
  id: string;
  to: string;
  text: string;
}

export interface SmsSender {
  readonly kind: string;
  send(message: SmsMessage): Promise<{ providerId: string }>;
  close(): Promise<void>;
}

/**
 * A failed send. `permanent`: the address or message was refused (SMTP 5xx, provider 4xx) and retrying cannot help;
 * otherwise (unreachable, 4xx SMTP, provider 5xx or 429) the outbox retries with backoff.
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'DeliveryError';
  }
}
