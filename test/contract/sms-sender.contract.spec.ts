import { createHttpSmsSender, createInProcessSmsSender } from '../../adapters/notifications/index.ts';
import { freePort } from '../support/free-port.ts';
import { startTestSmsProvider } from '../support/sms-provider.ts';
import { smsSenderContract } from './sms-sender.contract.ts';

smsSenderContract(
  'in-process',
  async () => {
    const sender = createInProcessSmsSender();
    return { sender, delivered: () => sender.messages().map((m) => ({ reference: m.id, to: m.to, text: m.text })), cleanup: () => sender.close() };
  },
  { unreachable: false },
);

// Against an HTTP provider of the documented shape, started here.
smsSenderContract(
  'HTTP provider shape',
  async () => {
    const provider = await startTestSmsProvider();
    const sender = createHttpSmsSender({ url: provider.url, token: provider.token });
    const deadPort = await freePort();
    return {
      sender,
      delivered: () => provider.messages.map((m) => ({ reference: m.reference, to: m.to, text: m.text })),
      unreachable: () => createHttpSmsSender({ url: `http://127.0.0.1:${deadPort}/v1/sms`, token: provider.token, timeoutMs: 2000 }),
      async cleanup() {
        await sender.close();
        await provider.close();
      },
    };
  },
  { unreachable: true },
);
