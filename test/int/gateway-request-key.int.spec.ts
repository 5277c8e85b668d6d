import { expect } from 'chai';
import pg from 'pg';
import { createDemoLibraryProvider } from '../../adapters/evidence/index.ts';
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { EvidenceRefusedError, type EvidenceProvider, type EvidenceRequest } from '../../domain/ports/evidence.ts';
import { type AccessLog, type ReplayCache } from '../../adapters/gateway/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { createPostgresReplayCache } from '../../adapters/gateway/replay-cache/postgres/index.ts';
import { demoLibrary, requestFor, shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { postEvidence, startGateway, type GatewayFixture } from './gateway-fixture.ts';

/**
 * A request key (`rid`) names one evidence request across the platform's retries: a retry with a new token gets the
 * answer the department already gave, without a second read of its data or a second delivery in its access log, and
 * the same key asking anything else is refused rather than served the kept answer.
 */
describe('department gateway: a retried request is answered from the answer already given', function () {
  this.timeout(30_000);
  let reads: EvidenceRequest[] = [];
  const counting = (): EvidenceProvider => {
    const plain = createDemoLibraryProvider({ library: demoLibrary(), catalogue: shippedCatalogue() });
    return { name: plain.name, fetch: (request, options) => (reads.push(request), plain.fetch(request, options)) };
  };
  let gw: GatewayFixture;
  beforeEach(async () => {
    reads = [];
    gw = await startGateway({ library: counting() });
  });
  afterEach(async () => gw?.close());

  const person = () => subjectId('instant-approval');
  const keyed = (rid: string, overrides: Partial<EvidenceRequest> = {}) => requestFor('household-registration', person(), ['name', 'address'], { requestKey: rid, ...overrides });
  const post = async (request: EvidenceRequest) => postEvidence(gw.url, (await gw.signer.sign(request, 'PSB')).token);
  const delivered = async () => (await gw.accessLog.list({ limit: 100 })).filter((e) => e.result === 'found');

  it('given an answered request, when it is sent again under the same key with a new token, then the same answer comes back and the department delivered once', async () => {
    const first = await post(keyed('ev-case-1-household-registration.household-registration'));
    const again = await post(keyed('ev-case-1-household-registration.household-registration'));
    expect(first.status).to.equal(200);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect(first.body.fields).to.have.keys('name', 'address');
    expect(reads).to.have.length(1);
    expect(await delivered()).to.have.length(1);
  });

  it('given the answer came through the HTTP provider, when the provider fetches again under the same key, then it verifies the re-sent answer (signed for the new token) and nothing is delivered twice', async () => {
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    try {
      const request = keyed('ev-case-2-household-registration.household-registration');
      const first = await provider.fetch(request);
      const second = await provider.fetch(request);
      expect(second).to.deep.equal(first);
      expect(first.status).to.equal('found');
      expect(reads).to.have.length(1);
      expect(await delivered()).to.have.length(1);
    } finally {
      await provider.close?.();
    }
  });

  for (const [what, overrides] of [
    ['other fields', { fields: ['name', 'sex'] }],
    ['another subject', { subject: { type: 'person', id: subjectId('homeowner') } }],
    ['another case', { purpose: { caseId: 'case-contract-2', serviceId: 'public-rental-housing', legalBasis: '《公共租赁住房管理办法》' } }],
    ['another requester', { requester: 'CIVIL' }],
  ] as const) {
    it(`given a key already answered, when it comes back asking for ${what}, then it is refused (409) with no data, and logged as refused`, async () => {
      const rid = `ev-case-3-${what.replace(/ /g, '-')}`;
      expect((await post(keyed(rid))).status).to.equal(200);
      const reused = await post(keyed(rid, overrides as Partial<EvidenceRequest>));
      expect(reused.status).to.equal(409);
      expect(reused.type).to.contain('application/problem+json');
      expect(reused.body).to.not.have.property('fields');
      expect(reads).to.have.length(1);
      const entries = await gw.accessLog.list({ limit: 100 });
      expect(entries.filter((e) => e.status === 409).map((e) => e.result)).to.deep.equal(['refused']);
    });
  }

  it('given a key refused by the sharing rules, when it is retried, then it is checked (and refused) again, never served from a kept answer', async () => {
    const refused = requestFor('criminal-record', person(), ['hasRecord'], { requester: 'PSB', requestKey: 'ev-case-4-criminal-record.criminal-record' });
    expect((await post(refused)).status).to.equal(403);
    expect((await post(refused)).status).to.equal(403);
    expect(reads).to.have.length(0);
  });

  it('given requests without a key (older platforms), when one is repeated, then each is a delivery as before', async () => {
    const plain = requestFor('household-registration', person(), ['name']);
    expect((await post(plain)).status).to.equal(200);
    expect((await post(plain)).status).to.equal(200);
    expect(reads).to.have.length(2);
    expect(await delivered()).to.have.length(2);
  });

  for (const rid of ['', 'has space', 'x'.repeat(201), 'line\nbreak']) {
    it(`given a malformed key ${JSON.stringify(rid.slice(0, 12))}, then the request is refused (400) and nothing is read`, async () => {
      expect((await post(keyed(rid))).status).to.equal(400);
      expect(reads).to.have.length(0);
    });
  }
});

describe('department gateway: a retry reaching another instance of the department', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  const opened: Array<AccessLog | ReplayCache> = [];
  let first: GatewayFixture;
  let second: GatewayFixture;
  let reads = 0;

  before(async () => {
    database = await createTestDatabase('gateway_request_key');
    const plain = createDemoLibraryProvider({ library: demoLibrary(), catalogue: shippedCatalogue() });
    const library: EvidenceProvider = { name: plain.name, fetch: (request, options) => (reads++, plain.fetch(request, options)) };
    const shared = async () => {
      const accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
      const replays = await createPostgresReplayCache({ connectionString: database.url, department: 'PSB' });
      opened.push(accessLog, replays);
      return { accessLog, replays, library };
    };
    first = await startGateway(await shared());
    second = await startGateway({ ...(await shared()), platformPublicKeys: { [first.platformKey.kid]: first.platformKey.publicKey } });
  });
  after(async () => {
    await first?.close();
    await second?.close();
    for (const resource of opened) await resource.close?.();
    await database?.drop();
  });

  it('given an answer given by one instance, when the retry reaches the other, then it serves the kept answer and the shared log holds one delivery', async () => {
    const request = requestFor('household-registration', subjectId('instant-approval'), ['name'], { requestKey: 'ev-case-9-household-registration.household-registration' });
    const one = await postEvidence(first.url, (await first.signer.sign(request, 'PSB')).token);
    const two = await postEvidence(second.url, (await first.signer.sign(request, 'PSB')).token);
    expect([one.status, two.status]).to.deep.equal([200, 200]);
    expect(two.body).to.deep.equal(one.body);
    expect(reads).to.equal(1);
    const entries = await first.accessLog.list({ limit: 10 });
    expect(entries.map((e) => e.result)).to.deep.equal(['found']);
  });

  it('given a retry under the same key asking for other fields on the other instance, then it is refused there too', async () => {
    const rid = 'ev-case-10-household-registration.household-registration';
    const asked = requestFor('household-registration', subjectId('instant-approval'), ['name'], { requestKey: rid });
    expect((await postEvidence(first.url, (await first.signer.sign(asked, 'PSB')).token)).status).to.equal(200);
    const other = requestFor('household-registration', subjectId('instant-approval'), ['name', 'address'], { requestKey: rid });
    const refused = await postEvidence(second.url, (await first.signer.sign(other, 'PSB')).token);
    expect(refused.status).to.equal(409);
    expect(refused.body).to.not.have.property('fields');
  });
});

describe('HTTP provider: a refused reuse of a key is a refusal, not an outage', () => {
  it('given the gateway answers 409 for a reused key, then the provider throws EvidenceRefusedError (recorded, not retried)', async () => {
    const gw = await startGateway();
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    try {
      const rid = 'ev-case-11-household-registration.household-registration';
      await provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['name'], { requestKey: rid }));
      const error = await provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['address'], { requestKey: rid })).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(EvidenceRefusedError);
      expect((error as Error).message).to.contain('409');
    } finally {
      await provider.close?.();
      await gw.close();
    }
  });
});

describe('department gateway with its access log and kept answers in one PostgreSQL database', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let gw: GatewayFixture;
  let accessLog: AccessLog;
  let replays: ReplayCache;
  let reads = 0;

  before(async () => {
    database = await createTestDatabase('gateway_answer_with_entry');
    const plain = createDemoLibraryProvider({ library: demoLibrary(), catalogue: shippedCatalogue() });
    accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB', keepsAnswers: true });
    replays = await createPostgresReplayCache({ connectionString: database.url, department: 'PSB' });
    gw = await startGateway({ accessLog, replays, library: { name: plain.name, fetch: (request, options) => (reads++, plain.fetch(request, options)) } });
  });
  after(async () => {
    await gw?.close();
    await accessLog?.close?.();
    await replays?.close();
    await database?.drop();
  });

  const delivered = async () => (await accessLog.list({ limit: 100 })).filter((e) => e.result === 'found');
  const sql = async (text: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  };

  it('given the answer cannot be kept, then its delivery is not logged and no data leaves; the retry reads once, logs once, and a further retry is served the kept answer', async () => {
    // As if the gateway died between the two writes: the answer's insert fails inside the delivery's transaction.
    await sql(`CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'answers unavailable'; END $$;
               CREATE TRIGGER refuse_answer BEFORE INSERT ON gateway_answers FOR EACH ROW EXECUTE FUNCTION refuse_answer();`);
    const request = requestFor('household-registration', subjectId('instant-approval'), ['name'], { requestKey: 'ev-case-7-household-registration.household-registration' });
    const post = async () => postEvidence(gw.url, (await gw.signer.sign(request, 'PSB')).token);
    try {
      const refused = await post();
      expect(refused.status).to.equal(503);
      expect(refused.body).to.not.have.property('fields');
      expect(await delivered()).to.have.length(0);
    } finally {
      await sql('DROP TRIGGER refuse_answer ON gateway_answers; DROP FUNCTION refuse_answer();');
    }
    const answered = await post();
    const again = await post();
    expect([answered.status, again.status]).to.deep.equal([200, 200]);
    expect(again.body).to.deep.equal(answered.body);
    expect(reads).to.equal(2);
    expect(await delivered()).to.have.length(1);
  });

  it('given the server drops the connection in the middle of a delivery\'s transaction, then that append fails (no data would leave) and the process and the log go on', async () => {
    const entry = { ...(await accessLog.list({ limit: 1 }))[0]!, seq: undefined } as unknown as Parameters<AccessLog['append']>[0];
    await sql(`CREATE FUNCTION slow_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.request_key = 'dropped' THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END $$;
               CREATE TRIGGER slow_answer BEFORE INSERT ON gateway_answers FOR EACH ROW EXECUTE FUNCTION slow_answer();`);
    try {
      const keep = (requestKey: string) => ({ requestKey, digest: 'd', body: '{}', expiresAtMs: Date.now() + 60_000, nowMs: Date.now() });
      const pending = accessLog.append(entry, keep('dropped')).then(() => 'written', (error: unknown) => `failed: ${String(error)}`);
      // Wait for the transaction to be inside the trigger, then end its backend as a server restart would.
      const probe = new pg.Client({ connectionString: database.url });
      await probe.connect();
      try {
        let pid: number | undefined;
        while (pid === undefined) {
          pid = (await probe.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`)).rows[0]?.pid;
          if (pid === undefined) await new Promise((resolve) => setImmediate(resolve));
        }
        await probe.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await probe.end();
      }
      expect(await pending).to.match(/^failed/);
      const before = (await accessLog.list({ limit: 1000 })).length;
      await accessLog.append(entry, keep('after'));
      expect((await accessLog.list({ limit: 1000 })).length).to.equal(before + 1);
    } finally {
      await sql('DROP TRIGGER slow_answer ON gateway_answers; DROP FUNCTION slow_answer();');
    }
  });

  it('given answers kept with their deliveries, then expired ones are swept by the log, as the replay cache sweeps those it keeps', async () => {
    const entry = { ...(await accessLog.list({ limit: 1 }))[0]!, seq: undefined } as unknown as Parameters<AccessLog['append']>[0];
    await sql(`INSERT INTO gateway_answers (department, request_key, digest, body, expires_at) VALUES ('PSB', 'long-expired', 'd', '{"fields":{"name":"x"}}', now() - interval '1 day')`);
    const count = async () => Number((await sql(`SELECT count(*) AS n FROM gateway_answers WHERE request_key = 'long-expired'`))[0]!.n);
    expect(await count()).to.equal(1);
    for (let i = 0; i < 500; i += 1) await accessLog.append(entry, { requestKey: `sweep-${i}`, digest: 'd', body: '{}', expiresAtMs: Date.now() + 60_000, nowMs: Date.now() });
    expect(await count()).to.equal(0);
  });

  it('given a log not wired to keep answers (its gateway keeps them in the replay cache), when asked to keep one with an entry, then it refuses rather than keep it where retries would not look', async () => {
    const separate = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
    try {
      expect(separate.keepsAnswers).to.equal(false);
      const entry = { ...(await accessLog.list({ limit: 1 }))[0]!, seq: undefined } as unknown as Parameters<AccessLog['append']>[0];
      const failed = await separate.append(entry, { requestKey: 'k', digest: 'd', body: '{}', expiresAtMs: Date.now() + 1000, nowMs: Date.now() }).then(() => null, (error: unknown) => error);
      expect(String(failed)).to.match(/does not keep answers/);
    } finally {
      await separate.close?.();
    }
  });
});
