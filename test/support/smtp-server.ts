import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface CapturedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  mails: CapturedMail[];
  /** Recipients refused with 550 (for good) or 451 (try later) while listed. */
  refuse: { permanent: Set<string>; transient: Set<string> };
  /**
   * From the (n+1)th message on, the server takes the message's data but never answers it (no 250), as a server
   * whose client dies mid-send sees it: such a message is not delivered. Resolves when the first one is held.
   */
  holdAfter(n: number): Promise<void>;
  /** Answers messages again (held ones stay unanswered and undelivered). */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the maintained `smtp-server` package) on a free local port, capturing every accepted message
 * parsed by `mailparser`: what a test asserts emails against.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const mails: CapturedMail[] = [];
  const refuse = { permanent: new Set<string>(), transient: new Set<string>() };
  let hold: { after: number; reached: () => void } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (refuse.permanent.has(to)) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      if (refuse.transient.has(to)) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (hold && mails.length >= hold.after) {
          hold.reached();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const headers: Record<string, string> = {};
            for (const [key, value] of parsed.headers) headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              headers,
              raw,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuse,
    holdAfter(n) {
      return new Promise<void>((resolve) => (hold = { after: n, reached: resolve }));
    },
    resume() {
      hold = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
