import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { projectionPart } from '../../runtime/projection-part.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { assembleHttp } from '../../api/assemble.ts';
import { demoUsers } from '../../api/demo-users.ts';
import { startHttpServer } from '../../api/http/index.ts';
import { demoLibrary, until } from '../support/http-engine.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { activeCollection, requestRebuild } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION } from '../../projections/views/case-view/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';

interface Status {
  name: string;
  activeVersion: number;
  state: string;
  worker: string | null;
  reportedAt: string | null;
  rebuildRequest: { id: string; state: string; version: number | null; worker: string | null } | null;
}

describe('projection admin in the documented topology (an API process without projections, a worker with them)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let dataDir: string;
  let worker: Engine;
  let api: Engine;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let token: string;
  const prefix = testPrefix('projadmin');

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const statuses = async () => (await call('GET', '/admin/projections')).body.items as Status[];
  const caseView = async () => (await statuses()).find((s) => s.name === 'case-view')!;

  before(async () => {
    db = await createTestDatabase('projection_admin');
    dataDir = mkdtempSync(join(tmpdir(), 'errand-admin-'));
    const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, AUTH_DEV_SIGNIN: 'true', DEMO_LIBRARY: 'true', LOG_LEVEL: 'silent' };
    worker = await createEngine(loadConfig({ ...env, ROLE: 'worker' }), { backgroundParts: [projectionPart()] });
    await worker.startBackground();
    api = await createEngine(loadConfig({ ...env, ROLE: 'api' }));
    const http = assembleHttp(api, { projections: () => null, devUsers: demoUsers(demoLibrary(), api.dataCatalogue) });
    server = await startHttpServer(http.app, { port: 0, host: '127.0.0.1' });
    const signIn = await fetch(`http://127.0.0.1:${server.port}/api/v1/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'admin' }) });
    token = String(((await signIn.json()) as { token: string }).token);
    const citizen = { kind: 'citizen', id: makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence: 5 }) } as const;
    for (let i = 0; i < 5; i++) {
      await api.commands.handle({
        type: 'DraftApplication',
        commandId: `admin-case-${i}`,
        caseId: `7a1c0000-0000-4000-9000-00000000000${i}`,
        actor: citizen,
        serviceId: 'residence-permit',
        form: { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' },
      } as Parameters<Engine['commands']['handle']>[0]);
    }
  });
  after(async () => {
    await server?.close();
    await api?.stop();
    await worker?.stop();
    await db?.drop();
    await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /admin/projections on the API process shows what the worker reports', async () => {
    const all = await until('every projection reported running by the worker', async () => {
      const items = await statuses();
      return items.length === 7 && items.every((s) => s.state === 'running' && s.worker !== null && s.reportedAt !== null) ? items : null;
    });
    expect(all.map((s) => s.name).sort()).to.deep.equal(['audit-trail', 'case-view', 'citizen-cases', 'data-use', 'erasure-requests', 'service-stats', 'work-queue']);
    expect(worker.leasesHeld()).to.include('case-view');
  });

  it('POST /admin/projections/{name}/rebuild on the API process is carried out by the worker holding the projection', async () => {
    const before = await caseView();
    const asked = await call('POST', '/admin/projections/case-view/rebuild', {}, { 'Idempotency-Key': 'rebuild-case-view-1' });
    expect(asked.status).to.equal(202);
    expect(asked.body).to.include({ name: 'case-view', state: 'requested' });
    const requestId = String(asked.body.id);
    // Asking again while it waits or runs records nothing new.
    const again = await call('POST', '/admin/projections/case-view/rebuild', {}, { 'Idempotency-Key': 'rebuild-case-view-2' });
    expect(again.status).to.equal(202);
    expect(again.body.id).to.equal(requestId);

    const after = await until('the rebuild to be done and the new version serving', async () => {
      const status = await caseView();
      return status.rebuildRequest?.state === 'done' && status.activeVersion > before.activeVersion && status.state === 'running' ? status : null;
    }, 60_000);
    expect(after.activeVersion).to.equal(before.activeVersion + 1);
    expect(after.rebuildRequest).to.include({ id: requestId, version: before.activeVersion + 1 });
    expect(after.rebuildRequest!.worker).to.equal(after.worker);
  });

  it('given the worker projected a case a moment ago (its key in the worker\'s cache) and has not read the case\'s shredding yet, when a rebuild is owed afresh, then the rebuilt case view reads "erased": each rebuild reads keys from the key store, not from the cache', async () => {
    const caseId = '7a1c0000-0000-4000-9000-0000000000aa';
    const citizen = { kind: 'citizen', id: makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence: 6 }) } as const;
    await api.commands.handle({
      type: 'DraftApplication', commandId: 'admin-case-shredded', caseId, actor: citizen, serviceId: 'residence-permit',
      form: { residenceAddress: '深圳市南山区粤海街道2号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000001' },
    } as Parameters<Engine['commands']['handle']>[0]);
    const view = async () => worker.stores.readStore.get(await activeCollection(worker.stores.readStore, CASE_VIEW_PROJECTION, CASE_VIEW), caseId);
    await until('the worker to project the new case', async () => ((await view())?.form ? true : null));
    const before = await caseView();
    // The keys destroyed as another process's shredder does, minus its event: nothing tells this worker to forget them.
    const key = (await api.stores.keys.scope(`case-${caseId}`))!;
    await api.stores.keys.shred([key.keyId], new Date().toISOString());
    await requestRebuild(api.stores.readStore, 'case-view', 'owed-after-shredding', new Date(), { afresh: true });
    await until('the owed rebuild to be done', async () => {
      const status = await caseView();
      return status.rebuildRequest?.id === 'owed-after-shredding' && status.rebuildRequest.state === 'done' && status.activeVersion > before.activeVersion ? status : null;
    }, 60_000);
    const rebuilt = (await view())!;
    expect((rebuilt.form as Record<string, unknown>).residenceAddress).to.equal(ERASED);
    expect(JSON.stringify(rebuilt)).to.not.include('粤海街道2号');
  });

  it('refuses an unknown projection with a 400 and records nothing', async () => {
    const refused = await call('POST', '/admin/projections/nonsense/rebuild', {});
    expect(refused.status).to.equal(400);
    expect((await statuses()).map((s) => s.name)).to.not.include('nonsense');
  });
});
