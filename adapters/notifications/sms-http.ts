import { DeliveryError, type SmsMessage, type SmsSender } from '../../domain/ports/notifications.ts';

export interface HttpSmsOptions {
  /** The provider's send endpoint (SMS_URL). */
  url: string;
  /** Bearer token (SMS_TOKEN), if the provider wants one. */
  token?: string | null;
  timeoutMs?: number;
}

/**
 * SMS through a provider speaking the documented shape (README, Notifications):
 *   POST <SMS_URL>  Authorization: Bearer <SMS_TOKEN>  {"reference": "<delivery id>", "to": "+86…", "text": "…"}
 *   2xx {"id": "<provider message id>"}; a reference seen before answers its first id and sends nothing.
 *   400-499 except 408 and 429: refused for good; 408, 429, 5xx, no answer: try again later.
 * A gateway in front of a commercial provider (template codes, signatures) maps onto this shape.
 */
export function createHttpSmsSender(options: HttpSmsOptions): SmsSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    kind: 'http',
    async send(message: SmsMessage) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
          body: JSON.stringify({ reference: message.id, to: message.to, text: message.text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(`SMS provider unreachable: ${error instanceof Error ? error.name : 'error'}`, false);
      }
      const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
      if (response.ok && body && typeof body.id === 'string') return { providerId: body.id };
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw new DeliveryError(`SMS provider answered ${response.status}`, response.ok ? false : permanent);
    },
    async close() {},
  };
}
