/**
 * One contract for every EvidenceProvider route: the demo library in memory, the SQL library in PostgreSQL and a
 * department gateway over HTTP must give the same answers: found, no match, not yet available, only the
 * requested fields, and the same refusals.
 */
import { expect } from 'chai';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceProvider, type EvidenceResult } from '../../domain/ports/evidence.ts';
import { createLibraryView } from '../../domain/evidence/index.ts';
import { onlyRequested } from '../../domain/evidence/index.ts';
import { demoLibrary, requestFor, shippedCatalogue, subjectId } from './evidence-fixtures.ts';

export interface ProviderUnderTest {
  provider: EvidenceProvider;
  close(): Promise<void>;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to be refused');
}

function withoutTime(result: EvidenceResult): unknown {
  if (result.status !== 'found') return result;
  const { retrievedAt: _retrievedAt, ...rest } = result;
  return rest;
}

export function evidenceProviderContract(route: string, setup: () => Promise<ProviderUnderTest>): void {
  describe(`evidence provider contract: ${route}`, function () {
    let under: ProviderUnderTest;
    let provider: EvidenceProvider;
    before(async function () {
      under = await setup();
      provider = under.provider;
    });
    after(async () => under?.close());

    it('given a registered person, when asked for household registration, then the record is found with the library values', async () => {
      const id = subjectId('instant-approval');
      const row = demoLibrary().records['household-registration']!.find((r) => r.citizenId === id)!;
      const result = await provider.fetch(requestFor('household-registration', id, ['citizenId', 'name', 'address', 'registrationRegion']));
      expect(result.status).to.equal('found');
      if (result.status !== 'found') return;
      expect(result.provider).to.equal('PSB');
      expect(result.fields).to.deep.equal({ citizenId: id, name: row.name, address: row.address, registrationRegion: row.registrationRegion });
      expect(Number.isNaN(Date.parse(result.retrievedAt))).to.equal(false);
    });

    it('given a request for two fields, when answered, then exactly those two fields come back', async () => {
      const result = await provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['sex', 'birthDate']));
      expect(result.status).to.equal('found');
      if (result.status === 'found') expect(Object.keys(result.fields).sort()).to.deep.equal(['birthDate', 'sex']);
    });

    it('given a valid citizen ID nobody knows, when asked, then the answer is no match', async () => {
      const result = await provider.fetch(requestFor('household-registration', subjectId('unknown-person'), ['name']));
      expect(result).to.deep.equal({ status: 'no_match', provider: 'PSB' });
    });

    it('given a person without household registration, when asked, then the answer is no match', async () => {
      const result = await provider.fetch(requestFor('household-registration', subjectId('missing-household-registration'), ['name']));
      expect(result).to.deep.equal({ status: 'no_match', provider: 'PSB' });
    });

    it('given a birth not yet synchronised, when the parent is asked about, then the record is not yet available', async () => {
      const request = requestFor('birth-record', subjectId('birth-record-pending'), ['childName'], { requester: 'PSB' });
      const result = await provider.fetch(request);
      expect(result.status).to.equal('not_yet_available');
      if (result.status === 'not_yet_available') expect(result.availableAfter).to.match(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('given a mother, when her birth record is asked for, then the latest birth naming her is found', async () => {
      const id = subjectId('parent-with-child');
      const births = demoLibrary().records['birth-record']!.filter((r) => r.motherCitizenId === id);
      const latest = births.reduce((a, b) => (String(b.birthDate) > String(a.birthDate) ? b : a));
      const result = await provider.fetch(requestFor('birth-record', id, ['childName', 'birthDate', 'motherCitizenId', 'fatherCitizenId'], { requester: 'PSB' }));
      expect(result.status).to.equal('found');
      if (result.status === 'found') expect(result.fields).to.deep.equal(onlyRequested(latest, ['childName', 'birthDate', 'motherCitizenId', 'fatherCitizenId']));
    });

    it('given an enterprise, when its registration is asked for, then numbers stay numbers', async () => {
      const code = subjectId('enterprise-active');
      const result = await provider.fetch(requestFor('business-registration', code, ['creditCode', 'registeredCapital', 'status'], { requester: 'AMR' }));
      expect(result.status).to.equal('found');
      if (result.status !== 'found') return;
      expect(result.fields.creditCode).to.equal(code);
      expect(result.fields.registeredCapital).to.be.a('number');
      expect(result.fields.status).to.equal('active');
    });

    it('given a person who owns no home, when property is asked for, then empty values are null and the count is 0', async () => {
      const result = await provider.fetch(requestFor('property-ownership', subjectId('instant-approval'), ['propertiesOwned', 'floorArea', 'use']));
      expect(result.status).to.equal('found');
      if (result.status === 'found') expect(result.fields).to.deep.equal({ propertiesOwned: 0, floorArea: null, use: 'none' });
    });

    it('given any subject and item, when asked, then the answer equals what the library holds', async () => {
      const library = demoLibrary();
      const catalogue = shippedCatalogue();
      const view = createLibraryView(library.records, library.pending);
      const items = ['household-registration', 'marriage-record', 'property-ownership', 'social-insurance', 'education-degree', 'housing-security-record'];
      const people = library.persons.filter((_, i) => i % 97 === 0);
      for (const itemId of items) {
        const item = catalogue.get(itemId)!;
        const fields = item.fields.map((f) => f.name);
        for (const person of people) {
          const answer = view.lookup(item, person.citizenId);
          const expected = answer.kind === 'found' ? { status: 'found', fields: onlyRequested(answer.row, fields), provider: item.provider } : { status: 'no_match', provider: item.provider };
          const result = await provider.fetch(requestFor(itemId, person.citizenId, fields, { requester: 'HOUSING' }));
          expect(withoutTime(result), `${itemId} for person #${library.persons.indexOf(person)}`).to.deep.equal(expected);
        }
      }
    });

    it('given an item that is not in the catalogue, when asked, then the request is refused', async () => {
      const error = await refusal(provider.fetch(requestFor('tax-secrets', subjectId('instant-approval'), ['name'])));
      expect(error).to.be.instanceOf(EvidenceRefusedError);
    });

    it('given a field the item does not have, when asked, then the request is refused', async () => {
      const error = await refusal(provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['name', 'salary'])));
      expect(error).to.be.instanceOf(EvidenceRefusedError);
      expect(error.message).to.contain('"salary"');
    });

    it('given an item that is not shared, when asked, then the request is refused', async () => {
      const error = await refusal(provider.fetch(requestFor('criminal-record', subjectId('instant-approval'), ['hasRecord'], { requester: 'PSB' })));
      expect(error).to.be.instanceOf(EvidenceRefusedError);
    });

    it('given a conditionally shared item and a department outside its consumers, when asked, then the request is refused', async () => {
      const error = await refusal(provider.fetch(requestFor('marriage-record', subjectId('instant-approval'), ['maritalStatus'], { requester: 'TAX', purpose: { caseId: 'c', serviceId: 'tax-thing', legalBasis: 'x' } })));
      expect(error).to.be.instanceOf(EvidenceRefusedError);
    });

    it('given a conditionally shared item and a service named among its consumers, when asked, then it is answered', async () => {
      const request = requestFor('social-insurance', subjectId('instant-approval'), ['insuredStatus'], { requester: 'AMR', purpose: { caseId: 'c', serviceId: 'social-insurance-certificate', legalBasis: 'x' } });
      const result = await provider.fetch(request);
      expect(result.status).to.equal('found');
    });

    it('given an enterprise code for a person item, when asked, then the request is refused', async () => {
      const request = requestFor('household-registration', subjectId('enterprise-active'), ['name'], { subject: { type: 'enterprise', id: subjectId('enterprise-active') } });
      expect(await refusal(provider.fetch(request))).to.be.instanceOf(EvidenceRefusedError);
    });

    it('given a citizen ID with a wrong check character, when asked, then the request is refused', async () => {
      const id = subjectId('instant-approval');
      const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      expect(await refusal(provider.fetch(requestFor('household-registration', wrong, ['name'])))).to.be.instanceOf(EvidenceRefusedError);
    });

    it('given a caller that already gave up, when asked, then the provider reports itself unavailable', async () => {
      const controller = new AbortController();
      controller.abort(new Error('timed out'));
      const error = await refusal(provider.fetch(requestFor('household-registration', subjectId('instant-approval'), ['name']), { signal: controller.signal }));
      expect(error).to.be.instanceOf(ProviderUnavailableError);
    });
  });
}
