/**
 * A PostgreSQL that accepts the TCP connection and never answers, and a pool whose every client is checked out. pg
 * waits for either without end unless told otherwise, and a process then hangs at start-up with nothing in its logs
 * (a chaos run once saw a department gateway write nothing for 120 s). Every pool Errand makes now gives up instead.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { createPostgresCatalogueStore } from '../../adapters/catalogue-store/postgres/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { createPostgresReplayCache } from '../../adapters/gateway/replay-cache/postgres/index.ts';
import type { KeyWrapper } from '../../adapters/key-store/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { createPostgresLeaseManager } from '../../adapters/lease/postgres/index.ts';
import { createPgPool } from '../../adapters/pg-pool.ts';
import { dependencyFailure } from '../../adapters/dependency-unavailable.ts';
import { toProblem } from '../../api/http/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { createPostgresUploadStore } from '../../adapters/uploads/postgres/index.ts';
import { ADMIN_URL } from '../support/postgres.ts';

// Short, so the suite is quick; what matters is that the wait ends at all.
const CONNECT_TIMEOUT_MS = 500;
const TIMED_OUT = /Connection terminated due to connection timeout|timeout exceeded when trying to connect/;

/** Accepts connections and reads what the client sends, answering nothing, as a wedged server would. */
async function silentServer(): Promise<{ url: string; sockets: Set<Socket>; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    // Read (and drop) the startup message, or the client's FIN is never seen and the socket never closes.
    socket.resume();
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `postgres://errand@127.0.0.1:${port}/errand`, sockets, server };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome, 'it should have failed').to.be.instanceOf(Error);
  return outcome as Error;
}

describe('PostgreSQL pools when the server does not answer, or no client is free', function () {
  // Without the bound these tests wait for ever; the mocha timeout is what would end them.
  this.timeout(60_000);
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let accepted = 0;
  before(async () => {
    silent = await silentServer();
    silent.server.on('connection', () => (accepted += 1));
  });
  afterEach(async () => {
    // The timed-out connection is closed by the client, not left open on the server: wait for every one to go.
    await Promise.all([...silent.sockets].map((socket) => once(socket, 'close')));
  });
  after(async () => {
    silent.server.close();
    await once(silent.server, 'close');
  });

  const wrapperNeverReached = {} as KeyWrapper;
  const stores: Array<[string, (url: string) => Promise<unknown>]> = [
    ['gateway access log', (url) => createPostgresAccessLog({ connectionString: url, department: 'PSB', keepsAnswers: true, connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    ['gateway replay cache', (url) => createPostgresReplayCache({ connectionString: url, department: 'PSB', connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    ['event store', (url) => createPostgresEventStore({ connectionString: url, connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    ['upload store', (url) => createPostgresUploadStore({ connectionString: url, connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    ['catalogue store', (url) => createPostgresCatalogueStore({ connectionString: url, connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    ['key store', (url) => createPostgresKeyStore({ connectionString: url, wrapper: wrapperNeverReached, connectTimeoutMs: CONNECT_TIMEOUT_MS })],
    [
      'read store',
      async (url) => {
        const store = createPostgresReadStore({ connectionString: url, connectTimeoutMs: CONNECT_TIMEOUT_MS });
        try {
          return await store.getMeta('anything');
        } finally {
          await store.close();
        }
      },
    ],
  ];
  for (const [name, open] of stores) {
    it(`given a server that accepts and never answers, when the ${name} is opened and used, then it fails with pg's connection timeout instead of waiting`, async () => {
      const before = accepted;
      const error = await rejection(open(silent.url));
      expect(error.message).to.match(TIMED_OUT);
      // A silent server is an outage, not a busy pool: the 503's reason and the log line say so.
      expect(dependencyFailure(error)).to.equal('unreachable');
      expect(accepted, 'the server should have accepted the connection (no refusal)').to.be.above(before);
    });
  }

  it('given a server that accepts and never answers, when a worker asks for a projection lease, then it fails with the connection timeout instead of holding every projection', async () => {
    const leases = createPostgresLeaseManager({ connectionString: silent.url, connectTimeoutMs: CONNECT_TIMEOUT_MS });
    try {
      expect((await rejection(leases.tryAcquire('case-view'))).message).to.match(/timeout/i);
    } finally {
      await leases.close();
    }
  });

  it('given a pool whose only client is checked out, when another caller asks for one, then it fails after the bound rather than queueing for ever', async () => {
    const pool = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool', connectTimeoutMs: CONNECT_TIMEOUT_MS });
    try {
      const held = await pool.connect();
      try {
        const error = await rejection(pool.query('SELECT 1'));
        expect(error.message).to.match(TIMED_OUT);
        // The server answers; every connection is in use. Still a 503 to retry, but told apart from an outage.
        expect(dependencyFailure(error)).to.equal('busy');
        expect(toProblem(error).problem.extensions).to.include({ reason: 'busy' });
      } finally {
        held.release();
      }
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).to.deep.equal([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('given a pool made for a part of Errand, then its connections carry that name, unless the connection string names one', async () => {
    const named = createPgPool({ connectionString: ADMIN_URL, max: 1, applicationName: 'errand-test-pool' });
    const url = new URL(ADMIN_URL);
    url.searchParams.set('application_name', 'operator-chosen');
    const operator = createPgPool({ connectionString: url.toString(), max: 1, applicationName: 'errand-test-pool' });
    try {
      const nameOf = async (pool: typeof named) => (await pool.query<{ name: string }>(`SELECT current_setting('application_name') AS name`)).rows[0]?.name;
      expect(await nameOf(named)).to.equal('errand-test-pool');
      expect(await nameOf(operator)).to.equal('operator-chosen');
    } finally {
      await Promise.all([named.end(), operator.end()]);
    }
  });
});
