import { expect } from 'chai';
import { request as httpRequest, Agent } from 'node:http';
import { defineRoute } from '../../api/http/index.ts';
import { captureLogs, testConfig } from '../../api/http/index.ts';
import { createHttpApp, startHttpServer } from '../../api/http/index.ts';

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown (api-server)', () => {
  it('lets the request in flight finish, closes kept-alive connections and refuses new ones', async () => {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const { app } = createHttpApp({
      config: testConfig(),
      logger: captureLogs().logger,
      readiness: async () => ({ ok: true, checks: {} }),
      routes: (api) =>
        api.add(
          defineRoute({
            method: 'get',
            path: '/slow',
            summary: 'Waits for the test',
            tags: ['test'],
            auth: 'public',
            responses: { 200: { description: 'done' } },
            handler: async () => {
              arrived();
              await gate;
              return { status: 200, body: { done: true } };
            },
          }),
        ),
    });
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 5_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });

    // A kept-alive idle connection, which close() must not wait for forever.
    expect((await get(server.port, '/health', agent)).status).to.equal(200);
    const slow = get(server.port, '/api/v1/slow', agent);
    await inFlight;
    const closed = server.close();
    release();

    const finished = await slow;
    expect(finished.status).to.equal(200);
    expect(JSON.parse(finished.body)).to.deep.equal({ done: true });
    expect(finished.connection).to.equal('close');
    await closed;

    const fresh = new Agent({ keepAlive: false });
    let refused: unknown;
    try {
      await get(server.port, '/health', fresh);
    } catch (error) {
      refused = error;
    }
    expect((refused as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
    agent.destroy();
  });
});
