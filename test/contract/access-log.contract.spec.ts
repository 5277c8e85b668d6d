import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileAccessLog, createMemoryAccessLog, type AccessLog } from '../../adapters/gateway/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { accessLogContract } from './access-log.contract.ts';

accessLogContract('memory (the embedded default)', async () => {
  const log = createMemoryAccessLog();
  return { log, plain: async () => createMemoryAccessLog(), shared: false, another: async () => createMemoryAccessLog(), cleanup: async () => {} };
});

accessLogContract('file (a gateway without --access-log-url)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'errand-access-log-'));
  const opened: AccessLog[] = [];
  // Each open is another gateway's folder: one process holds a file (scripts/gateway.ts locks its folder).
  const open = async () => {
    const log = createFileAccessLog({ file: join(mkdtempSync(join(dir, 'gw-')), 'access-log.jsonl') });
    opened.push(log);
    return log;
  };
  return {
    log: await open(),
    plain: open,
    shared: false,
    another: open,
    async cleanup() {
      for (const log of opened) await log.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

accessLogContract('postgres (--access-log-url)', async () => {
  const db = await createTestDatabase('access_log');
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  // Dropping the database at cleanup ends any connection still closing (SQL state 57P01); that is not this test's
  // finding, and with no listener the pool would throw it into whichever test runs next.
  pool.on('error', () => undefined);
  const opened: AccessLog[] = [];
  const open = async (department = 'PSB', keepsAnswers = true) => {
    const log = await createPostgresAccessLog({ pool, department, keepsAnswers });
    opened.push(log);
    return log;
  };
  return {
    log: await open(),
    plain: () => open('PSB', false),
    shared: true,
    another: (department?: string) => open(department),
    async cleanup() {
      for (const log of opened) await log.close?.();
      await pool.end();
      await db.drop();
    },
  };
});
