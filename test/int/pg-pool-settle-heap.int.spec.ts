/**
 * The event store's pool settles each new connection's server heap before its first query (adapters/pg-pool.ts,
 * SETTLE_HEAP): what it leaves behind is a session setting, so each connection can be asked whether it ran, and ran
 * first.
 */
import { expect } from 'chai';
import type pg from 'pg';
import { eventStorePool } from '../../adapters/event-store/postgres/index.ts';
import { createPgPool } from '../../adapters/pg-pool.ts';
import { ADMIN_URL } from '../support/postgres.ts';

const settled = async (client: pg.PoolClient) => (await client.query<{ settled: string | null }>(`SELECT current_setting('errand.heap_settled', true) AS settled`)).rows[0]?.settled ?? null;

describe('pg pools: settling a new connection’s server heap', () => {
  it('given a pool made to settle its connections, when two connections are opened at once, then each has settled before its first query', async () => {
    const pool = createPgPool({ connectionString: ADMIN_URL, max: 2, applicationName: 'errand-test-pool', settleHeap: true });
    try {
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      try {
        expect(await settled(a)).to.equal('on');
        expect(await settled(b)).to.equal('on');
        const pids = await Promise.all([a, b].map(async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
        expect(new Set(pids).size, 'two server backends').to.equal(2);
      } finally {
        a.release();
        b.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('given the event store’s own pool, then its connections are settled; given a pool the caller passes in, then it is used as it is', async () => {
    const own = eventStorePool({ connectionString: ADMIN_URL, poolSize: 1 });
    const mine = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool' });
    try {
      expect(eventStorePool({ pool: mine })).to.equal(mine);
      for (const [pool, expected] of [[own, 'on'], [mine, null]] as const) {
        const client = await pool.connect();
        try {
          expect(await settled(client)).to.equal(expected);
        } finally {
          client.release();
        }
      }
    } finally {
      await Promise.all([own.end(), mine.end()]);
    }
  });

  it('given a pool not made to settle, then its connections run nothing before the caller’s queries', async () => {
    const pool = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool' });
    try {
      const client = await pool.connect();
      try {
        expect(await settled(client)).to.equal(null);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('given a settling pool whose connection is dropped by the server, then the pool opens a new one, settled, and answers', async () => {
    const pool = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool-dropped', settleHeap: true });
    const admin = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-admin' });
    try {
      const first = await pool.connect();
      const pid = (await first.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      first.release();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // The idle client's loss is reported on the pool (and swallowed there); the next checkout is a new connection.
      let again: pg.PoolClient | undefined;
      for (let attempt = 0; attempt < 50 && again === undefined; attempt += 1) {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
          again = client;
        } catch {
          client.release(true);
        }
      }
      expect(again, 'a working connection').to.not.equal(undefined);
      try {
        expect(await settled(again!)).to.equal('on');
        expect((await again!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid).to.not.equal(pid);
      } finally {
        again!.release();
      }
    } finally {
      await Promise.all([pool.end(), admin.end()]);
    }
  });
});
