import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printed, startScript, type Started } from '../support/child-process.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';

/** The packages the process imported (bare specifiers; a package's own files are recorded as 'package/…'). */
function packagesLoaded(file: string): Set<string> {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return new Set(lines.map((line) => (line.startsWith('@') ? line.split('/').slice(0, 2).join('/') : line.split('/')[0]!)));
}

describe('adapters load only when the configuration selects them', function () {
  // One engine start on PGlite (3-4 s alone) on a possibly loaded machine.
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'errand-loads-'));
  const running: Started[] = [];
  let db: TestDatabase | null = null;
  after(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** Runs npm start until it serves, stops it, and returns the packages it imported. */
  async function packagesOfStart(label: string, env: Record<string, string>): Promise<Set<string>> {
    const loads = join(dir, `${label}.txt`);
    const engine = startScript('api/main.ts', [], { DATA_DIR: join(dir, label), PORT: String(await freePort()), ERRAND_LOADS_FILE: loads, ...env }, [
      '--import',
      './test/support/record-loads.mjs',
    ]);
    running.push(engine);
    await printed(engine, 'Errand is running');
    engine.child.kill('SIGTERM');
    const code = await engine.exited;
    // Once seen on a loaded CI machine: exit code null (ended by a signal). Say which, and what the process printed.
    expect(code, `ended by ${engine.child.signalCode ?? `exit code ${code}`}; its last output: ${engine.output().slice(-1500)}`).to.equal(0);
    return packagesLoaded(loads);
  }

  it('given the embedded default (no DATABASE_URL, MONGO_URL, EVENTSTORE_URL, REDIS_URL), when npm start is serving, then PGlite was loaded and mongoose, the EventStoreDB client, BullMQ, ioredis, pg and nodemailer never were', async () => {
    const loaded = await packagesOfStart('embedded', {});
    // The recorder sees packages imported on demand (PGlite is imported only once the embedded store is chosen).
    expect(loaded).to.include('@electric-sql/pglite');
    expect(loaded).to.include('express');
    for (const absent of ['mongoose', '@eventstore/db-client', 'bullmq', 'ioredis', 'pg', 'nodemailer']) expect(loaded, absent).to.not.include(absent);
  });

  it('given PostgreSQL and Redis configured, when npm start is serving, then pg, BullMQ and ioredis were loaded and PGlite, mongoose and the EventStoreDB client never were', async () => {
    db = await createTestDatabase('adapter_loading');
    const loaded = await packagesOfStart('postgres', { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: testPrefix('loads'), AUTH_DEV_SIGNIN: 'true' });
    for (const present of ['pg', 'bullmq', 'ioredis']) expect(loaded, present).to.include(present);
    for (const absent of ['@electric-sql/pglite', 'mongoose', '@eventstore/db-client']) expect(loaded, absent).to.not.include(absent);
  });
});
