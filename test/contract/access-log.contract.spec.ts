import pg from 'pg';
import { createMemoryAccessLog, type AccessLog } from '../../adapters/gateway/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { accessLogContract } from './access-log.contract.ts';

accessLogContract('memory (the embedded default and a gateway without --access-log-url)', async () => {
  const log = createMemoryAccessLog();
  return { log, plain: async () => createMemoryAccessLog(), shared: false, another: async () => createMemoryAccessLog(), cleanup: async () => {} };
});

accessLogContract('postgres (--access-log-url)', async () => {
  const db = await createTestDatabase('access_log');
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
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
