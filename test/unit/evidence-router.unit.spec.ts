import { expect } from 'chai';
import { createErrandCertificateProvider } from '../../adapters/evidence/index.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest } from '../../domain/ports/evidence.ts';
import { createProviderRouter } from '../../adapters/evidence/index.ts';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';

const PERSON = '11010519491231002X';

/** A provider that says who it is, so the route taken is observable. */
function named(name: string): EvidenceProvider {
  return { name, fetch: async (request) => ({ status: 'found', fields: { via: name, item: request.dataItem }, provider: name, retrievedAt: '2026-11-21T00:00:00.000Z' }) };
}

function request(dataItem: string, fields: string[], overrides: Partial<EvidenceRequest> = {}): EvidenceRequest {
  return { dataItem, subject: { type: 'person', id: PERSON }, fields, purpose: { caseId: 'c1', serviceId: 'public-rental-housing', legalBasis: 'x' }, requester: 'HOUSING', ...overrides };
}

async function via(router: EvidenceProvider, r: EvidenceRequest): Promise<unknown> {
  const result = await router.fetch(r);
  return result.status === 'found' ? result.fields.via : result.status;
}

describe('evidence provider router', () => {
  let catalogue: DataCatalogue;
  before(() => {
    catalogue = loadDataCatalogue();
  });

  it('given a gateway for PSB and a SQL library, when items are fetched, then PSB goes to its gateway and others to the library', async () => {
    const router = createProviderRouter({ catalogue, gateways: { PSB: named('psb-gateway') }, sqlLibrary: named('sql'), demoLibrary: named('demo') });
    expect(await via(router, request('household-registration', ['name']))).to.equal('psb-gateway');
    expect(await via(router, request('property-ownership', ['propertiesOwned']))).to.equal('sql');
    expect(router.routeFor('PSB')).to.equal('gateway');
    expect(router.routeFor('NRB')).to.equal('sql');
  });

  it('given only the demo library, when fetched, then the demo answers', async () => {
    const router = createProviderRouter({ catalogue, demoLibrary: named('demo') });
    expect(await via(router, request('property-ownership', ['propertiesOwned']))).to.equal('demo');
  });

  it('given a platform certificate item, when fetched, then the certificate provider answers before any library', async () => {
    const router = createProviderRouter({ catalogue, sqlLibrary: named('sql'), errand: named('errand') });
    expect(await via(router, request('errand-residence-permit', ['validUntil']))).to.equal('errand');
  });

  it('given nothing configured for a department, when fetched, then the provider is unavailable (retried, then provider_down)', async () => {
    const router = createProviderRouter({ catalogue, gateways: { PSB: named('psb') } });
    let error: unknown;
    await router.fetch(request('property-ownership', ['propertiesOwned'])).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ProviderUnavailableError);
  });

  it('given an unknown item, when fetched, then it is refused', async () => {
    const router = createProviderRouter({ catalogue, demoLibrary: named('demo') });
    let error: unknown;
    await router.fetch(request('nope', ['x'])).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(EvidenceRefusedError);
  });
});

describe('platform certificate provider', () => {
  let catalogue: DataCatalogue;
  before(() => {
    catalogue = loadDataCatalogue();
  });

  const permit = { certificateNumber: 'JZZ1', holderCitizenId: PERSON, holderName: '王五', residenceAddress: '深圳', issuedOn: '2026-01-01', validUntil: '2029-01-01' };

  it('given an issued permit, when asked by an allowed service, then only the requested fields come back', async () => {
    const asked: string[] = [];
    const provider = createErrandCertificateProvider({ catalogue, lookup: async (type, holder) => (asked.push(`${type}/${holder}`), permit) });
    const result = await provider.fetch(request('errand-residence-permit', ['validUntil', 'holderName']));
    expect(result).to.deep.include({ status: 'found', provider: 'ERRAND', fields: { validUntil: '2029-01-01', holderName: '王五' } });
    expect(asked).to.deep.equal([`residence-permit/${PERSON}`]);
  });

  it('given no certificate, when asked, then no match', async () => {
    const provider = createErrandCertificateProvider({ catalogue, lookup: async () => null });
    expect(await provider.fetch(request('errand-residence-permit', ['validUntil']))).to.deep.equal({ status: 'no_match', provider: 'ERRAND' });
  });

  it('given a service the permit is not shared with, when asked, then it is refused without a lookup', async () => {
    let looked = false;
    const provider = createErrandCertificateProvider({ catalogue, lookup: async () => ((looked = true), permit) });
    let error: unknown;
    await provider.fetch(request('errand-residence-permit', ['validUntil'], { requester: 'TAX', purpose: { caseId: 'c', serviceId: 'other', legalBasis: 'x' } })).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(EvidenceRefusedError);
    expect(looked).to.equal(false);
  });

  it('given a failing lookup, when asked, then the provider is unavailable', async () => {
    const provider = createErrandCertificateProvider({ catalogue, lookup: async () => Promise.reject(new Error('projection down')) });
    let error: unknown;
    await provider.fetch(request('errand-residence-permit', ['validUntil'])).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ProviderUnavailableError);
  });
});
