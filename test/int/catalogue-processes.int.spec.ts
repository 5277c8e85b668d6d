import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { until } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

describe('one catalogue for every process (PostgreSQL, two engines)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let dir: string;
  let a: Engine;
  let b: Engine;

  before(async () => {
    db = await createTestDatabase('catalogue_procs');
    dir = mkdtempSync(join(tmpdir(), 'errand-catalogue-procs-'));
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DATA_DIR: dir, CALENDAR_RESCAN_MS: '0' });
    // Both start at once on an empty database: one seeds, the other finds it seeded.
    [a, b] = await Promise.all([createEngine(config), createEngine(config)]);
  });
  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given two processes starting together on an empty store, then the bundled catalogue and calendars are seeded once', async () => {
    const audit = await a.stores.catalogueStore.audit({});
    expect(audit.filter((e) => e.action === 'seeded')).to.have.length(1);
    const calendars = audit.filter((e) => e.action === 'calendar-file-published');
    expect(calendars.map((e) => e.id)).to.deep.equal(['CN-2026']);
    expect(a.catalogue.catalogue.list().map((s) => `${s.id}@${s.version}`)).to.deep.equal(b.catalogue.catalogue.list().map((s) => `${s.id}@${s.version}`));
  });

  it('given a version published and duties recorded through one process, then the other follows within its refresh, with no command to prompt it', async () => {
    const author = { kind: 'admin', id: 'admin-1' };
    const reviewer = { kind: 'admin', id: 'admin-2' };
    const current = a.catalogue.latest('residence-permit')!;
    await a.catalogueAdmin.saveDraft('service', 'residence-permit', { ...current, version: current.version + 1 }, author, 'c1');
    await a.catalogueAdmin.approve('service', 'residence-permit', current.version + 1, reviewer, 'c2');
    await a.catalogueAdmin.publish('service', 'residence-permit', current.version + 1, author, 'c3', { reason: 'no change but the number' });
    await a.catalogueAdmin.setDuties({ staffId: 'psb-7', department: 'PSB', roles: ['intake'] }, author, 'c4');
    await until('the other process on the new version', async () => (b.catalogue.latest('residence-permit')?.version === current.version + 1 ? true : null), 20_000);
    expect(b.catalogue.get('residence-permit', current.version)?.version, 'the old version stays for running cases').to.equal(current.version);
    await until('the other process with the duties', async () => (b.catalogue.duties('psb-7')?.roles.join() === 'intake' ? true : null), 20_000);
  });

  it('given a process with the same calendar folder restarting, then nothing is published again', async () => {
    const before = await a.stores.catalogueStore.head();
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DATA_DIR: dir, CALENDAR_RESCAN_MS: '0' });
    const c = await createEngine(config);
    try {
      expect(await c.stores.catalogueStore.head()).to.equal(before);
      expect(c.calendar('CN').version).to.equal(a.calendar('CN').version);
    } finally {
      await c.stop();
    }
  });
});
