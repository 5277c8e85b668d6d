import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { assembleHttp } from '../../api/assemble.ts';
import { demoUsers } from '../../api/demo-users.ts';
import { startHttpServer } from '../../api/http/index.ts';
import { generateDemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

interface Api {
  base: string;
  call(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
}

/**
 * Two API processes on one PostgreSQL and Redis and no projection runner anywhere, so no stored view ever catches up
 * by itself: whatever a caller reads after its own write must come from the write. Without read-your-writes every
 * read below would be a 404 or a stale revision.
 */
describe('a caller always sees its own writes, whichever API process answers', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  const prefix = testPrefix('ryw');
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-ryw-'));
  const engines: Engine[] = [];
  const servers: Array<{ close(): Promise<void> }> = [];
  let a: Api;
  let b: Api;
  let citizen: string;
  const library = generateDemoLibrary();

  async function apiProcess(): Promise<Api> {
    const config = loadConfig({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, ROLE: 'api', AUTH_DEV_SIGNIN: 'true', DEMO_LIBRARY: 'true', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' });
    const engine = await createEngine(config);
    engines.push(engine);
    const server = await startHttpServer(assembleHttp(engine, { devUsers: demoUsers(library, engine.dataCatalogue) }).app, { port: 0, host: '127.0.0.1' });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    return {
      base,
      async call(token, method, path, body, headers = {}) {
        const response = await fetch(`${base}${path.startsWith('/api/') ? '' : '/api/v1'}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
      },
    };
  }

  before(async () => {
    db = await createTestDatabase('ryw');
    a = await apiProcess();
    b = await apiProcess();
    const signIn = await fetch(`${a.base}/api/v1/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'citizen-instant-approval' }) });
    const signedIn = (await signIn.json()) as { token?: string };
    if (!signedIn.token) throw new Error(`dev sign-in failed: ${JSON.stringify(signedIn)}`);
    citizen = signedIn.token;
  });
  after(async () => {
    for (const server of servers) await server.close();
    for (const engine of engines) await engine.stop();
    await db?.drop();
    await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a case created on one process, when its Location is followed on the other at once, then it resolves at the revision the create returned', async () => {
    const created = await a.call(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(created.status).to.equal(201);
    const location = created.headers.get('location');
    expect(location).to.match(/\/cases\/[0-9a-f-]{36}$/);
    const read = await b.call(citizen, 'GET', location!.replace(/^https?:\/\/[^/]+/, ''));
    expect(read.status, JSON.stringify(read.body)).to.equal(200);
    expect(read.body.revision).to.equal(created.body.revision);
    expect(read.headers.get('etag')).to.equal(`"${String(created.body.revision)}"`);
  });

  it('given a command on one process, when the case is read on the other, then the read shows at least that revision and its ETag makes a valid If-Match', async () => {
    const caseId = String((await a.call(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    for (let step = 0; step < 5; step += 1) {
      const [writer, reader] = step % 2 === 0 ? [a, b] : [b, a];
      const form = { ...FORM, phone: `1380013800${step}` };
      const written = await writer.call(citizen, 'PUT', `/cases/${caseId}/form`, { form });
      expect(written.status, JSON.stringify(written.body)).to.equal(200);
      const read = await reader.call(citizen, 'GET', `/cases/${caseId}`);
      expect(BigInt(String(read.body.revision)) >= BigInt(String(written.body.revision))).to.equal(true);
      expect((read.body.form as Record<string, unknown>).phone).to.equal(form.phone);
      const next = await reader.call(citizen, 'PUT', `/cases/${caseId}/form`, { form }, { 'If-Match': read.headers.get('etag')! });
      expect(next.status, `If-Match ${read.headers.get('etag')} after reading: ${JSON.stringify(next.body)}`).to.equal(200);
    }
  });

  it('given the ETag of the newest revision, when revalidated on the other process, then 304; given an older one, then 200', async () => {
    const created = await a.call(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const caseId = String(created.body.caseId);
    const updated = await a.call(citizen, 'PUT', `/cases/${caseId}/form`, { form: FORM });
    expect((await b.call(citizen, 'GET', `/cases/${caseId}`, undefined, { 'If-None-Match': `"${String(updated.body.revision)}"` })).status).to.equal(304);
    expect((await b.call(citizen, 'GET', `/cases/${caseId}`, undefined, { 'If-None-Match': `"${String(created.body.revision)}"` })).status).to.equal(200);
  });
});
