import { randomUUID } from 'node:crypto';
import { PHONE_PATTERN } from '../../domain/notifications/index.ts';
import { DeliveryError, type SmsMessage, type SmsSender } from '../../domain/ports/notifications.ts';

export interface InProcessSms extends SmsSender {
  /** What was "sent", oldest first (for the embedded default's operators and tests). */
  messages(): Array<SmsMessage & { providerId: string }>;
}

const PHONE = new RegExp(PHONE_PATTERN);

/**
 * SMS kept in this process: the embedded default, and a stand-in until a provider is configured (SMS_URL). It keeps
 * the documented provider's rules: a repeated reference is the same message; a number that is not a mobile number is
 * refused for good. Keeps at most `limit` messages.
 */
export function createInProcessSmsSender(options: { limit?: number } = {}): InProcessSms {
  const limit = options.limit ?? 1000;
  const sent: Array<SmsMessage & { providerId: string }> = [];
  const byReference = new Map<string, string>();
  return {
    kind: 'in-process',
    async send(message) {
      const known = byReference.get(message.id);
      if (known) return { providerId: known };
      if (!PHONE.test(message.to)) throw new DeliveryError('SMS: not a mobile number', true);
      const providerId = randomUUID();
      byReference.set(message.id, providerId);
      sent.push({ ...message, providerId });
      if (sent.length > limit) byReference.delete(sent.shift()!.id);
      return { providerId };
    },
    messages: () => [...sent],
    async close() {},
  };
}
