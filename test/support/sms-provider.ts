import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export interface ProviderMessage {
  reference: string;
  to: string;
  text: string;
  id: string;
}

/** One request as the provider saw it: its reference (null if the body had none) and its answer (null: none given). */
export interface ProviderRequest {
  reference: string | null;
  status: number | null;
}

export interface TestSmsProvider {
  url: string;
  token: string;
  messages: ProviderMessage[];
  /** Every request, oldest first, forced failures and held ones included. */
  requests: ProviderRequest[];
  /** The next n requests answer this status (503: try later, 400: refused), after any failures already queued. */
  failNext(n: number, status: number): void;
  /**
   * The next n requests (after queued failures) are taken as usual, the message sent, but never answered: the
   * answer lost on the way back. The same reference sent again answers the first id.
   */
  holdNext(n: number): void;
  close(): Promise<void>;
}

/**
 * An SMS provider speaking the shape README documents (POST {reference, to, text} with a bearer token, 2xx {id},
 * a repeated reference answers its first id): what the HTTP adapter is tested against.
 */
export async function startTestSmsProvider(): Promise<TestSmsProvider> {
  const token = randomUUID();
  const messages: ProviderMessage[] = [];
  const requests: ProviderRequest[] = [];
  const failures: number[] = [];
  let holds = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { reference?: unknown; to?: unknown; text?: unknown } | null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        body = null;
      }
      const seen: ProviderRequest = { reference: typeof body?.reference === 'string' ? body.reference : null, status: null };
      requests.push(seen);
      const answer = (status: number, answered: unknown) => {
        seen.status = status;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answered));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorized' });
      const forced = failures.shift();
      if (forced !== undefined) return answer(forced, { error: 'forced' });
      const held = holds > 0;
      if (held) holds--;
      // Held: the message goes out as usual, its answer never does.
      const reply = held ? () => undefined : answer;
      if (!body) return reply(400, { error: 'not JSON' });
      if (typeof body.reference !== 'string' || typeof body.to !== 'string' || typeof body.text !== 'string') return reply(400, { error: 'reference, to, text' });
      const known = messages.find((m) => m.reference === body.reference);
      if (known) return reply(200, { id: known.id });
      if (!/^(\+[1-9][0-9]{7,14}|1[3-9][0-9]{9})$/.test(body.to)) return reply(400, { error: 'invalid number' });
      const message = { reference: body.reference, to: body.to, text: body.text, id: randomUUID() };
      messages.push(message);
      reply(200, { id: message.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1/sms`,
    token,
    messages,
    requests,
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    holdNext(n) {
      holds += n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held requests included: nothing keeps the server open.
        server.closeAllConnections();
      }),
  };
}
