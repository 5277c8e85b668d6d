/**
 * The event store's pool settles each new connection's server heap before its first query (adapters/pg-pool.ts,
 * SETTLE_HEAP): what it leaves behind is a session setting, so each connection can be asked whether it ran, and ran
 * first.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import type pg from 'pg';
import { dependencyFailure } from '../../adapters/dependency-unavailable.ts';
import { eventStorePool } from '../../adapters/event-store/postgres/index.ts';
import { createPgPool } from '../../adapters/pg-pool.ts';
import { ADMIN_URL } from '../support/postgres.ts';

/**
 * A server that completes PostgreSQL's startup (AuthenticationOk, ReadyForQuery) and then, at the first query,
 * answers nothing ('silent') or drops the connection ('drop'): a backend that hangs, or dies, right after it started.
 */
async function startedThen(mode: 'silent' | 'drop'): Promise<{ url: string; server: Server; close(): void }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    let started = false;
    socket.on('data', (bytes) => {
      if (!started) {
        started = true;
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
        return;
      }
      if (mode === 'drop' && bytes[0] === 0x51) socket.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://errand@127.0.0.1:${port}/errand`,
    server,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Whether a connection checked out of `pool` now had settled before this first query of the caller's. */
const settledIn = async (pool: pg.Pool) => {
  const client = await pool.connect();
  try {
    return await settled(client);
  } finally {
    client.release();
  }
};

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

  it('given the event store’s own pool, then its connections are settled unless told not to; given a pool the caller passes in, then it is used as it is', async () => {
    const own = eventStorePool({ connectionString: ADMIN_URL, poolSize: 1 });
    const unsettled = eventStorePool({ connectionString: ADMIN_URL, poolSize: 1, settleHeap: false });
    const mine = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool' });
    try {
      expect(eventStorePool({ pool: mine })).to.equal(mine);
      // A pool made without settleHeap (mine) runs nothing before the caller's queries.
      expect(await settledIn(own)).to.equal('on');
      expect(await settledIn(unsettled)).to.equal(null);
      expect(await settledIn(mine)).to.equal(null);
    } finally {
      await Promise.all([own.end(), unsettled.end(), mine.end()]);
    }
  });

  for (const mode of ['silent', 'drop'] as const) {
    it(`given a server that starts a connection and then ${mode === 'silent' ? 'answers nothing' : 'drops it'}, when a settling pool connects, then the connect fails as unreachable within its bound and frees its slot`, async () => {
      const server = await startedThen(mode);
      const pool = createPgPool({ connectionString: server.url, max: 1, applicationName: 'errand-test-pool', connectTimeoutMs: 500, settleHeap: true });
      let timer: NodeJS.Timeout | undefined;
      try {
        const outcome = await Promise.race([
          pool.connect().then(
            (client) => {
              client.release(true);
              return 'connected';
            },
            (error: unknown) => error,
          ),
          // Far past the bound: a connect that waits on the settle for ever is what this guards against.
          new Promise((resolve) => {
            timer = setTimeout(() => resolve('still waiting'), 20_000);
          }),
        ]);
        expect(outcome).to.be.instanceOf(Error);
        expect(dependencyFailure(outcome)).to.equal('unreachable');
        expect(pool.totalCount, 'no client left holding the slot').to.equal(0);
      } finally {
        clearTimeout(timer);
        server.close();
        await pool.end().catch(() => undefined);
      }
    });
  }

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
