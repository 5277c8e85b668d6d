/**
 * A connection the server drops while the process holds it: between two statements of a transaction (the error then
 * arrives as an 'error' event with no query to fail), and requests while the server is down.
 */
import { expect } from 'chai';
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import { pgDriver } from '../../adapters/event-store/postgres/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { postgresDriver } from '../../adapters/read-store/postgres/index.ts';
import { problemHandler } from '../../api/http/index.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL connections lost while in use (throwaway cluster)', function () {
  this.timeout(120_000);
  let cluster: ThrowawayCluster;
  let admin: pg.Pool;
  before(async () => {
    cluster = await startThrowawayCluster();
    admin = new pg.Pool({ connectionString: cluster.url(), max: 1 });
    admin.on('error', () => undefined);
  });
  after(async () => {
    await admin?.end();
    await cluster?.destroy();
  });

  /** Ends the backend from another session and lets the termination notice reach the idle client. */
  async function terminate(pid: number): Promise<void> {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await sleep(300);
  }

  it('given the server ends a read-store transaction connection between two statements, then the transaction fails, the process carries on, and the next transaction works', async () => {
    const pool = new pg.Pool({ connectionString: cluster.url(), max: 2 });
    pool.on('error', () => undefined);
    const driver = postgresDriver(pool, true);
    try {
      const failed = await driver
        .transaction(async (session) => {
          const [row] = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await terminate(row!.pid);
          await session.query('SELECT 1');
        })
        .then(() => null, (error: unknown) => error);
      expect(failed, 'the transaction should fail').to.be.instanceOf(Error);
      expect(await driver.transaction((session) => session.query<{ one: number }>('SELECT 1 AS one'))).to.deep.equal([{ one: 1 }]);
    } finally {
      await driver.close();
    }
  });

  it('given the server ends an event-store session between two statements, then the session fails and the process carries on', async () => {
    const pool = new pg.Pool({ connectionString: cluster.url(), max: 2 });
    pool.on('error', () => undefined);
    const driver = pgDriver(pool, true);
    try {
      const failed = await driver
        .withSession(async (session) => {
          const [row] = await session.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid', values: [] });
          await terminate(row!.pid);
          await session.query({ text: 'SELECT 1', values: [] });
        })
        .then(() => null, (error: unknown) => error);
      expect(failed, 'the session should fail').to.be.instanceOf(Error);
      expect(await driver.withSession((session) => session.query<{ one: number }>({ text: 'SELECT 1 AS one', values: [] }))).to.deep.equal([{ one: 1 }]);
    } finally {
      await driver.end();
    }
  });

  it('given PostgreSQL is down, then a request that needs it is answered 503 problem+json with Retry-After, logged once, and 200 again once it is back', async () => {
    const readStore = createPostgresReadStore({ connectionString: cluster.url() });
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = express();
    app.get('/doc', async (_req, res) => {
      res.json({ doc: await readStore.get('things', 'x') });
    });
    app.use(problemHandler(logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/doc`;
    try {
      expect((await fetch(url)).status).to.equal(200);
      await cluster.stop('immediate');
      for (let i = 0; i < 3; i++) {
        const response = await fetch(url);
        expect(response.status).to.equal(503);
        expect(response.headers.get('retry-after')).to.match(/^\d+$/);
        expect(response.headers.get('content-type')).to.contain('application/problem+json');
        const body = (await response.json()) as Record<string, unknown>;
        expect(body.status).to.equal(503);
      }
      expect(lines.filter((line) => line.level === 40 || line.level === 50), 'one warning for the outage, not one per request').to.have.length(1);
      await cluster.start();
      expect((await fetch(url)).status).to.equal(200);
    } finally {
      server.close();
      await readStore.close();
    }
  });
});
