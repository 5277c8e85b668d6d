import { expect } from 'chai';
import pg from 'pg';
import { createInProcessLeaseHub } from '../../adapters/lease/index.ts';
import { createPostgresLeaseManager, lockKey } from '../../adapters/lease/postgres/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { leaseContract } from './lease-contract.ts';

leaseContract('in-process', async () => {
  const hub = createInProcessLeaseHub();
  return { manager: () => hub.manager(), cleanup: async () => {} };
});

let db: TestDatabase;
leaseContract('postgres', async () => {
  db = await createTestDatabase('leases');
  return { manager: () => createPostgresLeaseManager({ connectionString: db.url, heartbeatMs: 200 }), cleanup: () => db.drop() };
});

describe('PostgreSQL leases: a lost session', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  before(async () => (database = await createTestDatabase('leases_lost')));
  after(async () => database?.drop());

  it('when the server ends the holder’s session, the holder learns it lost the lease and another process takes it', async () => {
    const [a, b] = [0, 1].map(() => createPostgresLeaseManager({ connectionString: database.url, heartbeatMs: 200 }));
    try {
      const lease = (await a!.tryAcquire('case-view'))!;
      expect(await b!.tryAcquire('case-view')).to.equal(null);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        const killed = await admin.query(
          // Advisory locks are server-wide: only this suite's database, not another suite's running at the same time.
          `SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND objid = $1::bigint::oid AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [lockKey('case-view')],
        );
        expect(killed.rowCount).to.equal(1);
      } finally {
        await admin.end();
      }
      await lease.lost;
      expect(lease.held()).to.equal(false);
      const taken = await b!.tryAcquire('case-view');
      expect(taken).to.not.equal(null);
      expect(taken!.token).to.be.greaterThan(lease.token);
      // The manager that lost its session opens a new one and can compete again.
      expect(await a!.members()).to.equal(2);
    } finally {
      await a!.close();
      await b!.close();
    }
  });
});
