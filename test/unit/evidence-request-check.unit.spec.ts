import { expect } from 'chai';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { checkEvidenceRequest, onlyRequested, type CheckedRequest } from '../../domain/evidence/index.ts';

const PERSON = '11010519491231002X';
const ENTERPRISE = '91350100M000100Y43';

function request(overrides: Partial<CheckedRequest> = {}): CheckedRequest {
  return { dataItem: 'household-registration', subject: { type: 'person', id: PERSON }, fields: ['name'], purpose: { serviceId: 'public-rental-housing' }, requester: 'HOUSING', ...overrides };
}

describe('evidence request check', () => {
  let catalogue: DataCatalogue;
  before(() => {
    catalogue = loadDataCatalogue();
  });

  it('given an unconditionally shared item and known fields, when checked, then it is allowed', () => {
    const check = checkEvidenceRequest(catalogue, request());
    expect(check.ok).to.equal(true);
  });

  const refusals: Array<[string, Partial<CheckedRequest>, string | undefined, string]> = [
    ['an unknown item', { dataItem: 'nope' }, undefined, 'unknown_item'],
    ['an item of another department at this gateway', {}, 'CAB', 'wrong_provider'],
    ['an enterprise subject for a person item', { subject: { type: 'enterprise', id: ENTERPRISE } }, undefined, 'bad_subject'],
    ['a malformed citizen ID', { subject: { type: 'person', id: '11010519491231002Y' } }, undefined, 'bad_subject'],
    ['no fields', { fields: [] }, undefined, 'bad_fields'],
    ['a field the item does not have', { fields: ['name', 'income'] }, undefined, 'bad_fields'],
    ['a field twice', { fields: ['name', 'name'] }, undefined, 'bad_fields'],
    ['a not-shared item', { dataItem: 'criminal-record', fields: ['hasRecord'], requester: 'PSB' }, undefined, 'not_shared'],
    ['a conditional item for an outside department', { dataItem: 'tax-clearance', subject: { type: 'enterprise', id: ENTERPRISE }, fields: ['arrearsAmount'], requester: 'EDU' }, undefined, 'not_allowed'],
  ];
  for (const [what, overrides, provider, kind] of refusals) {
    it(`given ${what}, when checked, then it is refused as ${kind}`, () => {
      const check = checkEvidenceRequest(catalogue, request(overrides), provider);
      expect(check.ok).to.equal(false);
      if (!check.ok) expect(check.kind).to.equal(kind);
    });
  }

  it('given a refusal about a malformed ID, then the reason does not repeat the ID', () => {
    const check = checkEvidenceRequest(catalogue, request({ subject: { type: 'person', id: '11010519491231002Y' } }));
    expect(check.ok ? '' : check.reason).to.not.contain('11010519491231002');
  });

  it('given a record with more fields than asked, when minimised, then only the asked fields remain, missing ones as null', () => {
    expect(onlyRequested({ a: 1, b: 2, c: 3 }, ['a', 'd'])).to.deep.equal({ a: 1, d: null });
  });
});
