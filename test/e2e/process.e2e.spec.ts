import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printed, startScript } from '../support/child-process.ts';
import { freePort } from '../support/free-port.ts';

describe('npm start on the embedded default (PGlite under DATA_DIR, in-process queue, demo library)', function () {
  this.timeout(90_000);

  it('serves health, readiness with projection lag and the demo sign-in, then stops cleanly within 10 s of SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'errand-start-'));
    const metricsPort = await freePort();
    // PORT=0: the system picks the port and the start line names it. A port picked free beforehand can be handed to
    // one of the process's own loopback listeners (the in-process gateways) before the API binds it.
    const started = startScript('api/main.ts', [], { PORT: '0', DATA_DIR: dataDir, METRICS_PORT: String(metricsPort) });
    const { child } = started;
    try {
      await printed(started, 'Errand is running');
      const port = Number(/Errand is running on http:\/\/127\.0\.0\.1:(\d+)\//.exec(started.output())?.[1]);
      expect(port, started.output()).to.be.greaterThan(0);
      const base = `http://127.0.0.1:${port}`;
      // What it did while starting, in order, before the server answered.
      const output = started.output();
      const order = ['generating the demo shared-data library', 'opening the embedded database', 'starting projections', 'Errand is running'].map((t) => output.indexOf(t));
      expect(order.every((i) => i >= 0), output).to.equal(true);
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
      expect(await (await fetch(`${base}/health`)).json()).to.deep.equal({ status: 'ok' });
      // METRICS_PORT: the scrape has a listener of its own, and the citizens' one does not serve it.
      expect((await fetch(`${base}/metrics`)).status).to.equal(404);
      expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).to.match(/^# HELP/m);
      const ready = (await (await fetch(`${base}/ready`)).json()) as { checks: { projections: Record<string, { state: string }> } };
      expect(ready.checks.projections['case-view']).to.include({ state: 'running' });
      const users = (await (await fetch(`${base}/api/v1/dev/users`)).json()) as { users?: Array<{ userId: string }> } | Array<{ userId: string }>;
      const list = Array.isArray(users) ? users : (users.users ?? []);
      expect(list.map((u) => u.userId)).to.include.members(['citizen-instant-approval', 'clerk-psb', 'auditor', 'admin']);

      const stopping = Date.now();
      child.kill('SIGTERM');
      expect(await started.exited).to.equal(0);
      expect(Date.now() - stopping).to.be.below(10_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad variable with one line naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { env: { PATH: process.env.PATH, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr.trim()).to.equal('errand: configuration error: PORT: expected a whole number from 0 to 65535, got "eighty"');
  });

  it('refuses to start an API on PostgreSQL that nobody could sign in to, with one line saying what to set', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr.trim()).to.match(/^errand: configuration error: nobody could sign in: set JWT_KEYS_FILE/);
  });
});
