import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export interface ProviderMessage {
  reference: string;
  to: string;
  text: string;
  id: string;
}

export interface TestSmsProvider {
  url: string;
  token: string;
  messages: ProviderMessage[];
  /** The next n requests answer this status (503: try later, 400: refused). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

/**
 * An SMS provider speaking the shape README documents (POST {reference, to, text} with a bearer token, 2xx {id},
 * a repeated reference answers its first id): what the HTTP adapter is tested against.
 */
export async function startTestSmsProvider(): Promise<TestSmsProvider> {
  const token = randomUUID();
  const messages: ProviderMessage[] = [];
  let failures = 0;
  let failStatus = 503;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorized' });
      if (failures > 0) {
        failures--;
        return answer(failStatus, { error: 'forced' });
      }
      let body: { reference?: unknown; to?: unknown; text?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(400, { error: 'not JSON' });
      }
      if (typeof body.reference !== 'string' || typeof body.to !== 'string' || typeof body.text !== 'string') return answer(400, { error: 'reference, to, text' });
      const known = messages.find((m) => m.reference === body.reference);
      if (known) return answer(200, { id: known.id });
      if (!/^(\+[1-9][0-9]{7,14}|1[3-9][0-9]{9})$/.test(body.to)) return answer(400, { error: 'invalid number' });
      const message = { reference: body.reference, to: body.to, text: body.text, id: randomUUID() };
      messages.push(message);
      answer(200, { id: message.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1/sms`,
    token,
    messages,
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
