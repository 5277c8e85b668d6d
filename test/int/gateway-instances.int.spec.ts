import { expect } from 'chai';
import { type AccessLog, type ReplayCache } from '../../adapters/gateway/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { createPostgresReplayCache } from '../../adapters/gateway/replay-cache/postgres/index.ts';
import { requestFor, subjectId } from '../contract/evidence-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { postEvidence, startGateway, tokenFor, type GatewayFixture } from './gateway-fixture.ts';

/** Two instances of the PSB gateway behind a balancer, sharing the access log's database. */
describe('department gateway: two instances of one department', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  const opened: Array<AccessLog | ReplayCache> = [];
  let first: GatewayFixture;
  let second: GatewayFixture;

  before(async () => {
    database = await createTestDatabase('gateway_instances');
    const shared = async () => {
      const accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
      const replays = await createPostgresReplayCache({ connectionString: database.url, department: 'PSB' });
      opened.push(accessLog, replays);
      return { accessLog, replays };
    };
    first = await startGateway(await shared());
    // The same platform key as the first: both trust the platform's signer.
    second = await startGateway({ ...(await shared()), platformPublicKeys: { [first.platformKey.kid]: first.platformKey.publicKey } });
  });
  after(async () => {
    await first?.close();
    await second?.close();
    for (const resource of opened) await resource.close?.();
    await database?.drop();
  });

  it('given a request answered by one instance, when the same signed request reaches the other, then it is refused as a replay, and both are in the one log', async () => {
    const token = tokenFor(requestFor('household-registration', subjectId('instant-approval'), ['name']), first.platformKey.privateKey, { keyid: first.platformKey.kid });
    expect((await postEvidence(first.url, token)).status).to.equal(200);
    const replay = await postEvidence(second.url, token);
    expect(replay.status).to.equal(401);
    expect(replay.body).to.not.have.property('fields');
    const entries = await first.accessLog.list({ limit: 10 });
    expect(entries.map((e) => [e.result, e.status])).to.deep.equal([['found', 200], ['refused', 401]]);
    expect(entries[1]!.reason).to.contain('used before');
  });
});
