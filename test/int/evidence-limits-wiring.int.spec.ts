import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import type { JobQueue, WorkerOptions } from '../../domain/ports/queue.ts';
import { createEngine, openJobQueue, type Engine } from '../../runtime/engine.ts';
import { evidencePart } from '../../runtime/evidence-part.ts';
import { demoLibrary } from '../contract/evidence-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

describe('EVIDENCE_LIMITS reaches the evidence queues of a running engine', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let dir: string;
  let engine: Engine | undefined;
  const served = new Map<string, WorkerOptions | undefined>();

  before(async () => {
    db = await createTestDatabase('evidence_limits');
    dir = mkdtempSync(join(tmpdir(), 'errand-limits-'));
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DATA_DIR: dir, DEMO_LIBRARY: 'true', EVIDENCE_LIMITS: 'PSB=2/3s:3,HRSS=100/1m' });
    const inner = await openJobQueue(config.queue, { now: () => new Date() });
    // The real queue, with how each queue was asked to be served written down.
    const queue: JobQueue = { ...inner, kind: inner.kind, process: (name, handler, options) => (served.set(name, options), inner.process(name, handler, options)) };
    engine = await createEngine(config, { queue, backgroundParts: [evidencePart({ library: demoLibrary(), timeoutMs: 3000 })] });
    await engine.startBackground();
  });
  after(async () => {
    await engine?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given limits for PSB and HRSS, when the worker starts, then their queues are served with those limits and the others without', () => {
    expect(served.get('evidence-PSB')).to.include({ concurrency: 3 }).and.to.have.deep.property('limiter', { max: 2, durationMs: 3000 });
    expect(served.get('evidence-HRSS')).to.include({ concurrency: 10 }).and.to.have.deep.property('limiter', { max: 100, durationMs: 60_000 });
    const others = [...served.keys()].filter((name) => name.startsWith('evidence-') && name !== 'evidence-PSB' && name !== 'evidence-HRSS');
    expect(others).to.not.deep.equal([]);
    for (const name of others) expect(served.get(name)?.limiter, name).to.equal(undefined);
  });
});
