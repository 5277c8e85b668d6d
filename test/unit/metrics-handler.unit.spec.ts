import { expect } from 'chai';
import type { Request, Response } from 'express';
import { metricsHandler, type Metrics } from '../../api/metrics/index.ts';

function fakeMetrics(): { metrics: Metrics; renders: () => number } {
  let count = 0;
  const registry = { contentType: 'text/plain', metrics: async () => `# HELP render ${(count += 1)}\n` };
  return { metrics: { registry } as unknown as Metrics, renders: () => count };
}

function scrape(handler: ReturnType<typeof metricsHandler>, authorization?: string): Promise<{ status: number; body: string } | Error> {
  return new Promise((resolve) => {
    const res = { statusCode: 200, setHeader() {}, send(body: string) { resolve({ status: 200, body }); } } as unknown as Response;
    const req = { get: (name: string) => (name === 'authorization' ? authorization : undefined), res } as unknown as Request;
    (req as unknown as { _context?: unknown })._context = undefined;
    Promise.resolve((handler as unknown as (q: Request, s: Response) => Promise<void>)(req, res)).catch((error: Error) => resolve(error));
  });
}

describe('the /metrics handler', () => {
  it('given 32 scrapes at once, when served, then the registry renders once and every scrape gets the same text', async () => {
    const { metrics, renders } = fakeMetrics();
    const handler = metricsHandler(metrics, { token: null, open: true });
    const results = await Promise.all(Array.from({ length: 32 }, () => scrape(handler)));
    expect(renders()).to.equal(1);
    expect(new Set(results.map((r) => (r as { body: string }).body)).size).to.equal(1);
  });

  it('given a token, when scraped without it, then refused before anything is rendered', async () => {
    const { metrics, renders } = fakeMetrics();
    const handler = metricsHandler(metrics, { token: 'a-long-enough-token', open: false });
    const refused = await scrape(handler, 'Bearer wrong');
    expect(refused).to.be.instanceOf(Error);
    expect(renders()).to.equal(0);
    const served = await scrape(handler, 'Bearer a-long-enough-token');
    expect((served as { body: string }).body).to.match(/^# HELP/);
  });
});
