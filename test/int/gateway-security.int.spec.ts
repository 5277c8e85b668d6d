import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { createPlatformRequestSigner } from '../../adapters/evidence/index.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceRequest } from '../../domain/ports/evidence.ts';
import { createAuditorToken } from '../../adapters/gateway/index.ts';
import { demoLibrary, requestFor, subjectId } from '../contract/evidence-fixtures.ts';
import { postEvidence, startGateway, tokenFor, type GatewayFixture } from './gateway-fixture.ts';

describe('department gateway: who may ask, and what is kept of it', () => {
  let gw: GatewayFixture;
  let person: string;
  let request: EvidenceRequest;
  before(async () => {
    gw = await startGateway();
    person = subjectId('instant-approval');
    request = requestFor('household-registration', person, ['name', 'address']);
  });
  after(async () => gw?.close());

  async function lastEntry() {
    const entries = await gw.accessLog.list({ limit: 1000 });
    return entries[entries.length - 1];
  }

  function expectNoData(body: Record<string, unknown>): void {
    expect(body).to.not.have.property('fields');
    expect(JSON.stringify(body)).to.not.contain(person);
  }

  it('given a properly signed request, when answered, then the provider verifies the signed answer and the log names case, subject and fields but no values', async () => {
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    const result = await provider.fetch(request);
    await provider.close?.();
    expect(result.status).to.equal('found');
    const entry = await lastEntry();
    expect(entry).to.deep.include({ result: 'found', status: 200, verified: true, caseId: 'case-contract-1', serviceId: 'public-rental-housing', requester: 'HOUSING', dataItem: 'household-registration' });
    expect(entry?.subject).to.deep.equal({ type: 'person', id: person });
    expect(entry?.fields).to.deep.equal(['name', 'address']);
    const row = demoLibrary().records['household-registration']!.find((r) => r.citizenId === person)!;
    expect(JSON.stringify(entry)).to.not.contain(String(row.name)).and.not.contain(String(row.address));
  });

  it('given a token signed by someone else under the platform key id, when posted, then 401 problem+json, no data, and a refused attempt without subject is logged', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const response = await postEvidence(gw.url, tokenFor(request, attacker, { keyid: gw.platformKey.kid }));
    expect(response.status).to.equal(401);
    expect(response.type).to.contain('application/problem+json');
    expectNoData(response.body);
    const entry = await lastEntry();
    expect(entry).to.deep.include({ result: 'refused', status: 401, verified: false, subject: null, dataItem: 'household-registration' });
    expect(entry?.reason).to.contain('signature');
  });

  const refusedTokens: Array<[string, () => string, string]> = [
    ['an expired token', () => tokenFor(request, gw.platformKey.privateKey, { keyid: gw.platformKey.kid, expiresIn: -10 }), 'expired'],
    ['a token for another department', () => tokenFor(request, gw.platformKey.privateKey, { keyid: gw.platformKey.kid, audience: 'CAB' }), 'not addressed'],
    ['a token from another issuer', () => tokenFor(request, gw.platformKey.privateKey, { keyid: gw.platformKey.kid, issuer: 'someone' }), 'issued'],
    ['a token living longer than 120 s', () => tokenFor(request, gw.platformKey.privateKey, { keyid: gw.platformKey.kid, expiresIn: 600 }), '120'],
    ['a token with an unknown key id', () => tokenFor(request, gw.platformKey.privateKey, { keyid: 'nobody' }), 'unknown key'],
    ['an HS256 token', () => jwt.sign({ ...request }, 'a-shared-secret-that-is-long-enough-000', { algorithm: 'HS256', issuer: 'errand', audience: 'PSB', expiresIn: 60, keyid: gw.platformKey.kid }), 'not accepted'],
    ['no token at all', () => '', 'no bearer'],
  ];
  for (const [what, make, reason] of refusedTokens) {
    it(`given ${what}, when posted, then 401 with no data and the attempt is logged`, async () => {
      const response = await postEvidence(gw.url, make() || null);
      expect(response.status).to.equal(401);
      expectNoData(response.body);
      const entry = await lastEntry();
      expect(entry).to.deep.include({ result: 'refused', status: 401, verified: false });
      expect(entry?.reason).to.contain(reason);
    });
  }

  it('given a token already used once, when replayed, then the replay is refused', async () => {
    const token = tokenFor(request, gw.platformKey.privateKey, { keyid: gw.platformKey.kid });
    expect((await postEvidence(gw.url, token)).status).to.equal(200);
    const replay = await postEvidence(gw.url, token);
    expect(replay.status).to.equal(401);
    expect((await lastEntry())?.reason).to.contain('used before');
  });

  it('given a request for a field the item does not have, when posted, then 403 with no data, logged as refused', async () => {
    const response = await postEvidence(gw.url, (await gw.signer.sign({ ...request, fields: ['name', 'salary'] }, 'PSB')).token);
    expect(response.status).to.equal(403);
    expectNoData(response.body);
    expect(await lastEntry()).to.deep.include({ result: 'refused', status: 403, verified: true, fields: ['name', 'salary'] });
  });

  it('given a request for a not-shared item, when posted, then it is refused with 403 and audited with who asked and why', async () => {
    const asked = requestFor('criminal-record', person, ['hasRecord', 'offences'], { requester: 'PSB' });
    const response = await postEvidence(gw.url, (await gw.signer.sign(asked, 'PSB')).token);
    expect(response.status).to.equal(403);
    expect(response.body.type).to.equal('urn:errand:problem:not-shared');
    expectNoData(response.body);
    const entry = await lastEntry();
    expect(entry).to.deep.include({ result: 'refused', status: 403, verified: true, dataItem: 'criminal-record', requester: 'PSB', caseId: 'case-contract-1' });
    expect(entry?.subject).to.deep.equal({ type: 'person', id: person });
  });

  it('given an item another department provides, when posted here, then 403', async () => {
    const response = await postEvidence(gw.url, (await gw.signer.sign(requestFor('property-ownership', person, ['propertiesOwned']), 'PSB')).token);
    expect(response.status).to.equal(403);
  });

  it('given claims without a legal basis, when posted, then 400 with no data', async () => {
    const token = tokenFor({ ...request, purpose: { caseId: 'c', serviceId: 's', legalBasis: '' } }, gw.platformKey.privateKey, { keyid: gw.platformKey.kid });
    const response = await postEvidence(gw.url, token);
    expect(response.status).to.equal(400);
    expectNoData(response.body);
  });

  it('given an unknown item, when fetched through the provider, then 404 becomes a refusal', async () => {
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    let error: unknown;
    await provider.fetch({ ...request, dataItem: 'secret-files' }).catch((e: unknown) => (error = e));
    await provider.close?.();
    expect(error).to.be.instanceOf(EvidenceRefusedError);
    expect((error as Error).message).to.contain('404');
  });

  it('given a platform key the gateway does not trust, when fetched through the provider, then it is an outage to retry, not a refusal', async () => {
    const stranger = generateSigningKey('platform-2027');
    const signer = createPlatformRequestSigner({ privateKey: stranger.privateKey, kid: stranger.kid });
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer, gatewayKeys: { [gw.gatewayKey.kid]: gw.gatewayKey.publicKey } });
    let error: unknown;
    await provider.fetch(request).catch((e: unknown) => (error = e));
    await provider.close?.();
    expect(error).to.be.instanceOf(ProviderUnavailableError);
    expect((error as Error).message).to.contain('401');
  });

  it('given a provider pinned to another gateway key, when the real gateway answers, then the answer is rejected', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const provider = createHttpGatewayProvider({ department: 'PSB', baseUrl: gw.url, signer: gw.signer, gatewayKeys: { [gw.gatewayKey.kid]: other } });
    let error: unknown;
    await provider.fetch(request).catch((e: unknown) => (error = e));
    await provider.close?.();
    expect(error).to.be.instanceOf(EvidenceRefusedError);
    expect((error as Error).message).to.contain('signature');
  });

  it('given a refused token carrying long made-up values, then each is recorded cut to 200 characters: a stranger cannot make one refusal a large entry', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    // Long, yet the whole token stays under Node's 16 KiB header limit, so the gateway reads it.
    const long = 'x'.repeat(1500);
    const token = tokenFor({ ...request, dataItem: long, purpose: { ...request.purpose, caseId: long } }, attacker, { keyid: `k${long}`, jwtid: long, issuer: long });
    expect((await postEvidence(gw.url, token)).status).to.equal(401);
    const entry = (await lastEntry())!;
    for (const value of [entry.requestId, entry.issuer, entry.keyId, entry.caseId, entry.dataItem]) {
      expect(value).to.have.length(200);
      expect(value!.endsWith('…')).to.equal(true);
    }
    expect(JSON.stringify(entry).length, JSON.stringify(entry)).to.be.below(2000);
  });

  it('given the access log, when read without an auditor token or with a platform token, then 401; with the department key, the entries', async () => {
    expect((await fetch(`${gw.url}/access-log`)).status).to.equal(401);
    const platformToken = (await gw.signer.sign(request, 'PSB')).token;
    expect((await fetch(`${gw.url}/access-log`, { headers: { authorization: `Bearer ${platformToken}` } })).status).to.equal(401);
    const auditor = await createAuditorToken({ privateKey: gw.gatewayKey.privateKey, kid: gw.gatewayKey.kid, department: 'PSB', auditor: 'auditor-7' });
    const response = await fetch(`${gw.url}/access-log?subjectId=${person}&limit=500`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { entries: Array<{ subject: { id: string } | null; result: string }> };
    expect(body.entries.length).to.be.greaterThan(2);
    expect(body.entries.every((e) => e.subject?.id === person)).to.equal(true);
    expect(body.entries.map((e) => e.result)).to.include.members(['found', 'refused']);
  });
});
