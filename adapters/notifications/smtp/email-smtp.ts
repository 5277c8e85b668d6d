import nodemailer from 'nodemailer';
import { DeliveryError, type EmailMessage, type EmailSender } from '../../../domain/ports/notifications.ts';

export interface SmtpSenderOptions {
  /** smtp://user:pass@host:port or smtps://… (nodemailer's connection URL). */
  url: string;
  from: string;
  /** Host part of Message-IDs (default: the From address's domain). */
  messageIdDomain?: string;
  timeoutMs?: number;
}

/** Email through any SMTP server, with nodemailer. One pooled transport per process. */
export function createSmtpEmailSender(options: SmtpSenderOptions): EmailSender {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({ url: options.url, pool: true, maxConnections: 2, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  const domain = options.messageIdDomain ?? (/@([^>\s]+)/.exec(options.from)?.[1] ?? 'errand.invalid');
  return {
    kind: 'smtp',
    async send(message: EmailMessage) {
      const messageId = `<${message.id}@${domain}>`;
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId,
          headers: { 'Content-Language': message.language, 'X-Errand-Notification': message.id, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx: the server refused this message or recipient for good; anything else (4xx, network) may pass later.
        throw new DeliveryError(`SMTP: ${code ?? (error as { code?: string }).code ?? 'error'}`, typeof code === 'number' && code >= 500);
      }
      return { messageId };
    },
    async close() {
      transport.close();
    },
  };
}
