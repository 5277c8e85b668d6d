import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { activeCollection } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION } from '../../projections/views/case-view/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { projectionPart } from '../../runtime/projection-part.ts';
import { until } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

/**
 * The documented topology: an API process publishes a service version and a citizen drafts a case on it through the
 * same process at once; the worker, which folds the log into the views and schedules the case's work, learns of the
 * version at its next catalogue refresh (every 2 s). Events it reads before then name a version it does not hold.
 */
describe('a case on a version published a moment ago through another process (PostgreSQL, API and worker)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let dataDir: string;
  let worker: Engine;
  let api: Engine;
  let followerRefresh: (() => Promise<void>) | null = null;

  before(async () => {
    db = await createTestDatabase('catalogue_worker_lag');
    dataDir = mkdtempSync(join(tmpdir(), 'errand-catalogue-lag-'));
    const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO_LIBRARY: 'true', LOG_LEVEL: 'silent', CALENDAR_RESCAN_MS: '0' };
    worker = await createEngine(loadConfig({ ...env, ROLE: 'worker' }), { backgroundParts: [projectionPart()] });
    await worker.startBackground();
    api = await createEngine(loadConfig({ ...env, ROLE: 'api' }));
  });
  after(async () => {
    if (followerRefresh) worker.catalogue.refresh = followerRefresh;
    await api?.stop();
    await worker?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the worker has not refreshed its catalogue since the publication, when the case is drafted, then its view names the lead department and the reactor keeps it open', async () => {
    // Stands for the time between two of the worker's periodic refreshes: its follower reads nothing new meanwhile.
    followerRefresh = worker.catalogue.refresh;
    worker.catalogue.refresh = async () => undefined;

    const author = { kind: 'admin', id: 'admin-1' };
    const reviewer = { kind: 'admin', id: 'admin-2' };
    const current = api.catalogue.latest('residence-permit')!;
    const next = current.version + 1;
    await api.catalogueAdmin.saveDraft('service', 'residence-permit', { ...current, version: next }, author, 'lag-1');
    await api.catalogueAdmin.approve('service', 'residence-permit', next, reviewer, 'lag-2');
    await api.catalogueAdmin.publish('service', 'residence-permit', next, author, 'lag-3', { reason: 'a new version, drafted on at once' });
    expect(worker.catalogue.get('residence-permit', next), 'the worker has not read the publication yet').to.equal(undefined);

    const caseId = '7a1c0000-0000-4000-9000-0000000000aa';
    const drafted = await api.commands.handle({
      type: 'DraftApplication',
      commandId: 'lag-case',
      caseId,
      actor: { kind: 'citizen', id: makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence: 7 }) },
      serviceId: 'residence-permit',
      form: { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' },
    } as Parameters<Engine['commands']['handle']>[0]);
    expect(drafted.state.definition.version).to.equal(next);

    const store = worker.stores.readStore;
    const view = await until('the worker\'s case view holds the case', async () => {
      const collection = await activeCollection(store, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: CASE_VIEW_VERSION });
      return (await store.getMany(collection, [caseId])).get(caseId) ?? null;
    }, 30_000);
    expect(view.department, 'the lead department, whose clerks see the case').to.equal('PSB');
    const open = await until('the reactor recorded the case', async () => (await store.getMany(OPEN_CASES, [caseId])).get(caseId) ?? null, 30_000);
    expect(open.open, 'kept among the open cases whose deadlines are re-derived').to.equal(true);
  });
});
