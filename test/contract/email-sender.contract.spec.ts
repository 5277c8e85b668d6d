import { createSmtpEmailSender } from '../../adapters/notifications/smtp/index.ts';
import { freePort } from '../support/free-port.ts';
import { startTestSmtpServer } from '../support/smtp-server.ts';
import { emailSenderContract } from './email-sender.contract.ts';

// Against a real SMTP server (the smtp-server package) started here, on a free local port.
emailSenderContract('SMTP (nodemailer)', async () => {
  const server = await startTestSmtpServer();
  const sender = createSmtpEmailSender({ url: server.url, from: 'Errand <no-reply@errand.test>' });
  const deadPort = await freePort();
  return {
    sender,
    delivered: () => server.mails.map((m) => ({ to: m.to, messageId: m.messageId, subject: m.subject, text: m.text, language: m.headers['content-language'] ?? '' })),
    refuse: (address, how) => server.refuse[how].add(address),
    unreachable: () => createSmtpEmailSender({ url: `smtp://127.0.0.1:${deadPort}`, from: 'Errand <no-reply@errand.test>', timeoutMs: 2000 }),
    async cleanup() {
      await sender.close();
      await server.close();
    },
  };
});
