import { hs256Signer, signToken } from '../../../api/auth/index.ts';
import { HS256_SECRET } from './topology.ts';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** What the API answered while faults were injected: a healed engine answers 503 during an outage, never 500. */
export interface HttpTally {
  requests: number;
  networkErrors: number;
  byStatus: Record<string, number>;
  /** The first few 500 answers, with their bodies, as evidence. */
  serverErrors: Array<{ at: string; method: string; path: string; status: number; body: string }>;
}

const signer = hs256Signer(HS256_SECRET, { issuer: 'errand', audience: 'errand-api' });
export const tokens = {
  citizen: (citizenId: string) => signToken(signer, { sub: citizenId, kind: 'citizen', subjectType: 'person' }, { expiresIn: '6h' }),
  clerk: (department: string) =>
    signToken(signer, { sub: `clerk-${department.toLowerCase()}`, kind: 'clerk', department, roles: ['intake', 'reviewer', 'approver'] }, { expiresIn: '6h' }),
  auditor: () => signToken(signer, { sub: 'auditor-1', kind: 'auditor' }, { expiresIn: '6h' }),
  admin: () => signToken(signer, { sub: 'admin-1', kind: 'admin' }, { expiresIn: '6h' }),
};

/** When to give up, asked again before each retry: the load's window closes when the faults are over. */
export type Deadline = () => number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRIED = (status: number) => status >= 500 || status === 429;

/**
 * Talks to the API processes as a load balancer would: each attempt goes to the next process, and an attempt that
 * fails for infrastructure reasons (connection refused or reset, 5xx, 429) is retried with the same Idempotency-Key
 * until the deadline, so a command is recorded once however often it is sent.
 */
export class ChaosClient {
  readonly tally: HttpTally = { requests: 0, networkErrors: 0, byStatus: {}, serverErrors: [] };
  private next = 0;

  constructor(private readonly apiUrls: string[]) {}

  /** One attempt against one API process; network errors come back as status 0. */
  async once(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const base = this.apiUrls[this.next++ % this.apiUrls.length]!;
    const isBuffer = Buffer.isBuffer(body);
    this.tally.requests += 1;
    try {
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && !isBuffer ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : isBuffer ? (body as Buffer) : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      this.tally.byStatus[response.status] = (this.tally.byStatus[response.status] ?? 0) + 1;
      if (response.status === 500 && this.tally.serverErrors.length < 20) {
        this.tally.serverErrors.push({ at: new Date().toISOString(), method, path: path.replace(/[0-9a-f-]{36}/g, ':id'), status: 500, body: text.slice(0, 300) });
      }
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { raw: text.slice(0, 300) };
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      this.tally.networkErrors += 1;
      return { status: 0, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }

  /** Retries infrastructure failures until `deadline`; returns the first answer that is not one. */
  async call(token: string | null, method: string, path: string, deadline: Deadline, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    let delay = 100;
    for (;;) {
      const reply = await this.once(token, method, path, body, headers);
      if (reply.status !== 0 && !RETRIED(reply.status)) return reply;
      if (Date.now() + delay > deadline()) return reply;
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
  }

  /** Polls `path` until `accept(body)` holds or the deadline passes, running `between` after each miss. */
  async until(token: string, path: string, deadline: Deadline, accept: (body: Record<string, unknown>) => boolean, between?: () => Promise<void>): Promise<Reply | null> {
    let last: Reply | null = null;
    while (Date.now() < deadline()) {
      last = await this.once(token, 'GET', path);
      if (last.status === 200 && accept(last.body)) return last;
      await between?.();
      await sleep(250);
    }
    return last && last.status === 200 && accept(last.body) ? last : null;
  }
}
