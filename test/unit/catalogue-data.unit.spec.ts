import { expect } from 'chai';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import { buildDataCatalogue, sharingDecision, type DataCatalogue, type DataItem } from '../../domain/catalogue/index.ts';

const departments = [
  { code: 'PSB', name: { 'zh-CN': '公安局', en: 'Public Security Bureau' } },
  { code: 'HOUSING', name: { 'zh-CN': '住房和城乡建设局', en: 'Housing Bureau' } },
];

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'household-registration',
    name: { 'zh-CN': '户籍信息', en: 'Household registration' },
    provider: 'PSB',
    subjectType: 'person',
    fields: [
      { name: 'citizenId', type: 'string', personal: true, label: { 'zh-CN': '公民身份号码', en: 'Citizen ID' } },
      { name: 'validUntil', type: 'date', personal: false, label: { 'zh-CN': '有效期至', en: 'Valid until' } },
    ],
    sharing: 'unconditional',
    updateFrequency: 'realtime',
    legalBasis: '《中华人民共和国户口登记条例》',
    trustLevel: 'A',
    ...overrides,
  };
}

function errorsOf(raw: unknown): string[] {
  const built = buildDataCatalogue(raw);
  expect(built.ok, 'expected the catalogue to be refused').to.equal(false);
  return built.ok ? [] : built.errors;
}

describe('data catalogue', () => {
  let catalogue: DataCatalogue;
  before(() => {
    catalogue = loadDataCatalogue();
  });

  it('given the shipped data file, when loaded, then every department the team relies on is there', () => {
    const codes = catalogue.departments().map((d) => d.code);
    expect(codes).to.include.members(['PSB', 'CAB', 'HEALTH', 'AMR', 'NRB', 'HRSS', 'TAX', 'EDU', 'HOUSING', 'FIRE', 'ERRAND']);
  });

  it('given the shipped data file, when loaded, then it holds the data items services need', () => {
    const ids = catalogue.list().map((i) => i.id);
    expect(ids).to.include.members([
      'household-registration',
      'marriage-record',
      'birth-record',
      'business-registration',
      'property-ownership',
      'social-insurance',
      'tax-clearance',
      'education-degree',
      'criminal-record',
      'errand-residence-permit',
      'errand-business-licence',
    ]);
  });

  it('given the shipped data file, then it mixes all three sharing classes', () => {
    const classes = new Set(catalogue.list().map((i) => i.sharing));
    expect([...classes].sort()).to.deep.equal(['conditional', 'not_shared', 'unconditional']);
    expect(catalogue.get('criminal-record')?.sharing).to.equal('not_shared');
  });

  it('given the platform certificates, then they are provided by ERRAND at trust level A', () => {
    const own = catalogue.providedBy('ERRAND');
    expect(own.length).to.be.greaterThanOrEqual(2);
    for (const i of own) expect(i.trustLevel).to.equal('A');
  });

  it('given an unknown id, when looked up, then the answer is undefined', () => {
    expect(catalogue.get('no-such-item')).to.equal(undefined);
    expect(catalogue.department('NOPE')).to.equal(undefined);
  });

  it('given a loaded catalogue, when a caller tries to change an item, then it cannot', () => {
    const first = catalogue.get('household-registration') as DataItem;
    expect(() => {
      (first as { provider: string }).provider = 'TAX';
    }).to.throw(TypeError);
  });

  it('given a valid document, when built, then items are found by id', () => {
    const built = buildDataCatalogue({ departments, items: [item()] });
    expect(built.ok).to.equal(true);
    if (built.ok) expect(built.value.get('household-registration')?.provider).to.equal('PSB');
  });

  it('given an item with an unknown provider, when built, then the error names the item and field', () => {
    expect(errorsOf({ departments, items: [item({ provider: 'MOON' })] })).to.deep.equal([
      'data item "household-registration": provider "MOON" is not a known department',
    ]);
  });

  it('given a field of an unknown type, when built, then the error gives its index', () => {
    const fields = [{ name: 'citizenId', type: 'text', personal: true, label: { 'zh-CN': '号码', en: 'ID' } }];
    expect(errorsOf({ departments, items: [item({ fields })] })).to.deep.equal([
      'data item "household-registration": fields[0].type must be one of string, number, date, boolean, got the string "text"',
    ]);
  });

  it('given missing and extra fields, when built, then each is reported', () => {
    const raw = item({ colour: 'red' });
    delete raw.trustLevel;
    expect(errorsOf({ departments, items: [raw] })).to.deep.equal([
      'data item "household-registration": trustLevel is missing',
      'data item "household-registration": colour is not a known field',
    ]);
  });

  it('given a conditional item naming nobody, when built, then it is refused', () => {
    expect(errorsOf({ departments, items: [item({ sharing: 'conditional' })] })).to.deep.equal([
      'data item "household-registration": sharing is conditional but names no allowedServices or allowedDepartments',
    ]);
  });

  it('given an unconditional item with an allow list, when built, then the list is refused as meaningless', () => {
    expect(errorsOf({ departments, items: [item({ allowedDepartments: ['PSB'] })] })[0]).to.match(/only apply to conditional/);
  });

  it('given quality rules on unknown fields or a bad pattern, when built, then each is named', () => {
    const quality = [
      { kind: 'required', field: 'nope' },
      { kind: 'pattern', field: 'citizenId', pattern: '([' },
      { kind: 'notExpired', field: 'citizenId' },
    ];
    expect(errorsOf({ departments, items: [item({ quality })] })).to.deep.equal([
      'data item "household-registration": quality[0].field "nope" is not a field of this item',
      'data item "household-registration": quality[1].pattern "([" is not a valid regular expression',
      'data item "household-registration": quality[2].field "citizenId" must be a date field for notExpired, it is string',
    ]);
  });

  it('given a platform item without a certificate type, or another item with one, when built, then both are refused', () => {
    const withErrand = [...departments, { code: 'ERRAND', name: { 'zh-CN': '平台', en: 'Platform' } }];
    expect(errorsOf({ departments: withErrand, items: [item({ id: 'errand-permit', provider: 'ERRAND' }), item({ certificateType: 'permit' })] })).to.deep.equal([
      'data item "errand-permit": certificateType is missing: an item the platform provides must name the certificate type it serves',
      'data item "household-registration": certificateType only applies to items provided by ERRAND, not PSB',
    ]);
  });

  it('given duplicate ids, when built, then the duplicate is named', () => {
    expect(errorsOf({ departments, items: [item(), item()] })).to.deep.equal([
      'data item "household-registration": id is used twice',
    ]);
  });

  it('given something that is not a catalogue, when built, then the root is refused', () => {
    expect(errorsOf([])).to.deep.equal(['data catalogue: (root) must be an object, got an array']);
  });
});

describe('sharing decisions', () => {
  const base = item() as unknown as DataItem;

  it('given an unconditional item, when any service asks, then it is shared', () => {
    expect(sharingDecision(base, { service: 'x', department: 'TAX' })).to.deep.equal({ allowed: true });
  });

  it('given a not-shared item, when any service asks, then it is refused', () => {
    expect(sharingDecision({ ...base, sharing: 'not_shared' }, { service: 'x', department: 'PSB' })).to.deep.equal({
      allowed: false,
      reason: 'data item "household-registration" is not shared',
    });
  });

  it('given a conditional item, when a named service or department asks, then it is shared, otherwise refused', () => {
    const conditional: DataItem = { ...base, sharing: 'conditional', allowedServices: ['public-rental-housing'], allowedDepartments: ['PSB'] };
    expect(sharingDecision(conditional, { service: 'public-rental-housing', department: 'HOUSING' }).allowed).to.equal(true);
    expect(sharingDecision(conditional, { service: 'residence-permit', department: 'PSB' }).allowed).to.equal(true);
    expect(sharingDecision(conditional, { service: 'restaurant-opening', department: 'AMR' }).allowed).to.equal(false);
  });
});
