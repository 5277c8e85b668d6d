import { expect } from 'chai';
import express from 'express';
import pg from 'pg';
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { createPlatformRequestSigner } from '../../adapters/evidence/index.ts';
import { EvidenceRefusedError, ProviderUnavailableError } from '../../domain/ports/evidence.ts';
import { createSqlLibraryProvider } from '../../adapters/evidence/sql/index.ts';
import { createPostgresAccessLog } from '../../adapters/gateway/access-log/postgres/index.ts';
import { ACCESS_LOG_TABLE } from '../../adapters/gateway/access-log/index.ts';
import { ANSWER_TABLE } from '../../adapters/gateway/index.ts';
import { listen } from '../../adapters/gateway/index.ts';
import { createAuditorToken, createResponseSigner } from '../../adapters/gateway/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { requestFor, shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { postEvidence, startGateway } from './gateway-fixture.ts';
import { until } from '../support/http-engine.ts';

describe('department gateway: durable access log and untrustworthy paths', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('gateway_log');
  });
  after(async () => database?.drop());

  it('given a PostgreSQL access log, when requests are answered and refused, then both are kept and the table refuses rewrites', async () => {
    const accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
    const gw = await startGateway({ accessLog });
    try {
      const person = subjectId('instant-approval');
      expect((await postEvidence(gw.url, (await gw.signer.sign(requestFor('household-registration', person, ['name']), 'PSB')).token)).status).to.equal(200);
      expect((await postEvidence(gw.url, (await gw.signer.sign(requestFor('criminal-record', person, ['hasRecord'], { requester: 'PSB' }), 'PSB')).token)).status).to.equal(403);
      const entries = await accessLog.list({ subjectId: person });
      expect(entries.map((e) => [e.dataItem, e.result])).to.deep.equal([
        ['household-registration', 'found'],
        ['criminal-record', 'refused'],
      ]);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        let updateError: unknown;
        await client.query(`UPDATE ${ACCESS_LOG_TABLE} SET result = 'found'`).catch((e: unknown) => (updateError = e));
        expect(String(updateError)).to.contain('append-only');
        let deleteError: unknown;
        await client.query(`DELETE FROM ${ACCESS_LOG_TABLE}`).catch((e: unknown) => (deleteError = e));
        expect(String(deleteError)).to.contain('append-only');
        expect((await client.query(`SELECT count(*)::int AS n FROM ${ACCESS_LOG_TABLE}`)).rows[0].n).to.equal(2);
      } finally {
        await client.end();
      }
    } finally {
      await gw.close();
      await accessLog.close?.();
    }
  });

  it('given a delivery whose entry waits to commit while another instance logs, when an auditor pages by seq, then no entry is skipped', async () => {
    // Two instances of one department's gateway on one table. A's delivery holds its transaction open (its kept answer
    // waits on a row another session holds, as a concurrent keep of the same request key would); B logs meanwhile.
    // Entries numbered before they commit would let B's later seq be read first, and a reader paging `after` it would
    // never see A's.
    const open = () => createPostgresAccessLog({ connectionString: database.url, department: 'HRSS', keepsAnswers: true, lockTimeoutMs: 120_000 });
    const [a, b, reader] = [await open(), await open(), await open()];
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    const entry = (requestId: string) => ({ at: new Date().toISOString(), department: 'HRSS', result: 'found' as const, status: 200, reason: null, verified: true, requestId, issuer: 'platform', keyId: 'k1', requester: 'HRSS', caseId: 'late-commit', serviceId: 'residence-permit', legalBasis: 'law', subject: { type: 'person', id: 'x' }, dataItem: 'social-insurance', fields: ['months'] });
    const keep = (requestKey: string) => ({ requestKey, digest: 'd', body: '{}', expiresAtMs: Date.now() + 60_000, nowMs: Date.now() });
    try {
      await a.append(entry('first'), keep('held-key'));
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM ${ANSWER_TABLE} WHERE department = 'HRSS' AND request_key = 'held-key' FOR UPDATE`);
      const slow = a.append(entry('slow'), keep('held-key'));
      // Event, not time: A's statement is seen waiting on the held row before B logs.
      await until("A's delivery to wait on the held row", async () => (await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%${ANSWER_TABLE}%'`)).rows[0].n > 0);
      let fastDone = false;
      const fast = b.append(entry('fast')).then((logged) => ((fastDone = true), logged));
      // B either commits (numbered ahead of A's commit) or waits behind A; both are visible in pg_stat_activity or done.
      await until('B to commit or wait its turn', async () => fastDone || (await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`)).rows[0].n > 0);
      // One read: the page seen and the cursor it leaves, as an auditor's poll would.
      const visible = await reader.list({ caseId: 'late-commit' });
      const seen = visible.map((e) => e.requestId);
      const cursor = Math.max(0, ...visible.map((e) => e.seq));
      await blocker.query('ROLLBACK');
      await Promise.all([slow, fast]);
      seen.push(...(await reader.list({ caseId: 'late-commit', after: cursor })).map((e) => e.requestId));
      expect(seen.sort()).to.deep.equal(['fast', 'first', 'slow']);
    } finally {
      await blocker.end();
      await Promise.all([a, b, reader].map((log) => log.close?.()));
    }
  });

  it('given a PostgreSQL access log, when an auditor pages with a cursor or limit no seq can be, or a filter that cannot be applied as sent, then 400 problem+json, and the largest cursor reads an empty page', async () => {
    const accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
    const gw = await startGateway({ accessLog });
    try {
      expect((await postEvidence(gw.url, (await gw.signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token)).status).to.equal(200);
      const auditor = await createAuditorToken({ privateKey: gw.gatewayKey.privateKey, kid: gw.gatewayKey.kid, department: 'PSB', auditor: 'auditor-9' });
      const read = (query: string) => fetch(`${gw.url}/access-log?${query}`, { headers: { authorization: `Bearer ${auditor}` } });
      for (const query of ['after=99999999999999999999', 'after=9007199254740992', 'after=-1', 'after=x', 'after=1&after=2', 'limit=0', 'limit=1e3', 'caseId=a&caseId=b', 'caseId=', 'subjectId[]=x', 'caseid=x', 'caseId=a%00b', `subjectId=${'x'.repeat(201)}`]) {
        const response = await read(query);
        expect(response.status, query).to.equal(400);
        expect(response.headers.get('content-type'), query).to.contain('application/problem+json');
        const body = (await response.json()) as { type: string; detail: string };
        expect(body.type, query).to.equal('urn:errand:problem:bad-request');
        expect(body.detail, query).to.match(new RegExp(`^${query.split('=')[0]!.replace(/[[\]]/g, '\\$&')}: `));
      }
      const last = await read(`after=${Number.MAX_SAFE_INTEGER}`);
      expect(last.status).to.equal(200);
      expect(((await last.json()) as { entries: unknown[] }).entries).to.deep.equal([]);
      const first = await read('after=0&limit=1');
      expect(((await first.json()) as { entries: unknown[] }).entries).to.have.length(1);
    } finally {
      await gw.close();
      await accessLog.close?.();
    }
  });

  it('given an access log that cannot be written, when a valid request comes, then no data is released (503, retried later)', async () => {
    const accessLog = await createPostgresAccessLog({ connectionString: database.url, department: 'PSB' });
    await accessLog.close?.();
    const gw = await startGateway({ accessLog });
    try {
      const response = await postEvidence(gw.url, (await gw.signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token);
      expect(response.status).to.equal(503);
      expect(response.body).to.not.have.property('fields');
      expect(response.body.type).to.equal('urn:errand:problem:audit-unavailable');
    } finally {
      await gw.close();
    }
  });

  it('given a department library that is down, when asked through the provider, then the provider is unavailable (to be retried)', async () => {
    const library = createSqlLibraryProvider({ connectionString: 'postgres://postgres@127.0.0.1:1/none', catalogue: shippedCatalogue() });
    const gw = await startGateway({ library });
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    try {
      let error: unknown;
      await provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['name'])).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(ProviderUnavailableError);
      expect((await gw.accessLog.list())[0]).to.deep.include({ result: 'error', status: 503 });
    } finally {
      await provider.close?.();
      await gw.close();
      await library.close?.();
    }
  });

  it('given something between platform and gateway that changes the body, when the answer arrives, then it is rejected', async () => {
    const platformKey = generateSigningKey('platform');
    const gatewayKey = generateSigningKey('psb');
    const signer = createPlatformRequestSigner({ privateKey: platformKey.privateKey, kid: platformKey.kid });
    const responseSigner = createResponseSigner({ department: 'PSB', platformIssuer: 'errand', key: gatewayKey });
    // Signs an honest "no match" for the request it got, then sends a different body under that signature.
    const app = express();
    app.post('/evidence', async (req, res) => {
      const requestId = String((JSON.parse(Buffer.from(String(req.get('authorization')).split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti);
      const honest = JSON.stringify({ status: 'no_match', provider: 'PSB' });
      const forged = JSON.stringify({ status: 'found', provider: 'PSB', fields: { name: 'Mallory' }, retrievedAt: new Date().toISOString() });
      res.set('content-type', 'application/json').set('x-errand-signature', await responseSigner.sign(honest, requestId)).send(forged);
    });
    const server = await listen(app);
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: server.url, signer, gatewayKeys: { [gatewayKey.kid]: gatewayKey.publicKey } });
    try {
      let error: unknown;
      await provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['name'])).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(EvidenceRefusedError);
      expect((error as Error).message).to.contain('does not match its signature');
    } finally {
      await provider.close?.();
      await server.close();
    }
  });
});
