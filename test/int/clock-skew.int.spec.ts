import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../adapters/config/index.ts';
import { postgresServerTime } from '../../adapters/pg-server-time.ts';
import { ClockSkewError } from '../../runtime/clock-check.ts';
import { createEngine } from '../../runtime/engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

describe('a process whose clock disagrees with the database server does not start (real PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const config = () => loadConfig({ DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'errand-clock-')), DEMO_LIBRARY: 'false', LOG_LEVEL: 'silent' });
  const tables = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]!.n;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    db = await createTestDatabase('clock_skew');
  });
  after(async () => db?.drop());

  it('given a host clock a year ahead of PostgreSQL, when an engine is created, then it refuses with ClockSkewError before writing anything', async () => {
    const ahead = { localNow: () => Date.now() + 365 * 24 * 3_600_000, serverNow: () => postgresServerTime(db.url) };
    const refused = await createEngine(config(), { clockCheck: ahead, logger: pino({ level: 'silent' }) }).then(
      async (engine) => {
        await engine.stop();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ClockSkewError);
    expect((refused as Error).message).to.match(/minutes ahead of the database server's/);
    expect(await tables(), 'no migration ran').to.equal('0');
  });

  it('given the host clock as it is, when an engine is created with the default check, then it starts', async () => {
    const engine = await createEngine(config(), { logger: pino({ level: 'silent' }) });
    try {
      expect(Number(await tables())).to.be.greaterThan(0);
    } finally {
      await engine.stop();
    }
  });
});
