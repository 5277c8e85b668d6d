import { expect } from 'chai';
import fc from 'fast-check';
import type { DataItem } from '../../domain/catalogue/index.ts';
import { cleanseFields, normaliseDate } from '../../domain/evidence/index.ts';

const item: DataItem = {
  id: 'sample',
  name: { 'zh-CN': '样例', en: 'Sample' },
  provider: 'PSB',
  subjectType: 'person',
  fields: [
    { name: 'citizenId', type: 'string', personal: true, label: { 'zh-CN': '', en: '' } },
    { name: 'spouseCitizenId', type: 'string', personal: true, label: { 'zh-CN': '', en: '' } },
    { name: 'name', type: 'string', personal: true, label: { 'zh-CN': '', en: '' } },
    { name: 'birthDate', type: 'date', personal: true, label: { 'zh-CN': '', en: '' } },
    { name: 'monthsContributed', type: 'number', personal: true, label: { 'zh-CN': '', en: '' } },
    { name: 'pensionInsured', type: 'boolean', personal: true, label: { 'zh-CN': '', en: '' } },
  ],
  sharing: 'unconditional',
  updateFrequency: 'daily',
  legalBasis: 'test',
  trustLevel: 'A',
};

describe('evidence cleansing', () => {
  it('given padded text, when cleansed, then it is trimmed, including full-width spaces, and reported as changed', () => {
    const result = cleanseFields(item, { name: '  王小明\u3000' });
    expect(result.fields).to.deep.equal({ name: '王小明' });
    expect(result.changed).to.deep.equal(['name']);
    expect(result.problems).to.deep.equal([]);
  });

  it('given dates written in the ways departments write them, when cleansed, then each becomes YYYY-MM-DD', () => {
    for (const raw of ['1990-01-31', '1990/1/31', '1990.01.31', '19900131', '1990年1月31日', '1990-01-31T08:00:00+08:00', '１９９０-０１-３１']) {
      expect(cleanseFields(item, { birthDate: raw }).fields.birthDate, raw).to.equal('1990-01-31');
    }
  });

  it('given a date that does not exist, when cleansed, then it is kept as it came and reported without its value', () => {
    const result = cleanseFields(item, { birthDate: '1990-02-30' });
    expect(result.fields.birthDate).to.equal('1990-02-30');
    expect(result.problems).to.deep.equal(['birthDate: cannot be read as a date']);
  });

  it('given identity codes in lower case or full width, when cleansed, then they are upper-case half-width', () => {
    const result = cleanseFields(item, { citizenId: ' 11010519491231002x ', spouseCitizenId: '１１０１０５１９４９１２３１００２Ｘ' });
    expect(result.fields).to.deep.equal({ citizenId: '11010519491231002X', spouseCitizenId: '11010519491231002X' });
  });

  it('given numbers and booleans as text, when cleansed, then they get their catalogue types', () => {
    expect(cleanseFields(item, { monthsContributed: ' 1,204 ', pensionInsured: '是' }).fields).to.deep.equal({ monthsContributed: 1204, pensionInsured: true });
    expect(cleanseFields(item, { pensionInsured: 'false' }).fields).to.deep.equal({ pensionInsured: false });
    expect(cleanseFields(item, { monthsContributed: 'many' }).problems).to.deep.equal(['monthsContributed: cannot be read as a number']);
  });

  it('given empty text, when cleansed, then it is null, and a field the item does not define is left alone', () => {
    expect(cleanseFields(item, { name: '   ', extra: '  x ' }).fields).to.deep.equal({ name: null, extra: '  x ' });
  });

  it('property: cleansing twice changes nothing the first pass did not', () => {
    const value = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('1990/1/2', '20200229', '2021年3月4日', 'true', '否', ' x '), fc.boolean(), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.record({ name: value, birthDate: value, monthsContributed: value, pensionInsured: value, citizenId: value }), (fields) => {
        const once = cleanseFields(item, fields).fields;
        expect(cleanseFields(item, once).fields).to.deep.equal(once);
      }),
    );
  });

  it('property: any real date written as YYYY/M/D normalises back to itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-').map(Number);
        expect(normaliseDate(`${y}/${m}/${day}`)).to.equal(iso);
      }),
    );
  });
});
