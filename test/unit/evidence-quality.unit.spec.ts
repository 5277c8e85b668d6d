import { expect } from 'chai';
import type { DataItem } from '../../domain/catalogue/index.ts';
import { checkQuality } from '../../domain/evidence/index.ts';

const item: DataItem = {
  id: 'permit',
  name: { 'zh-CN': '居住证', en: 'Permit' },
  provider: 'ERRAND',
  subjectType: 'person',
  fields: ['holderCitizenId', 'status', 'validUntil', 'holderName'].map((name) => ({ name, type: name === 'validUntil' ? 'date' : 'string', personal: true, label: { 'zh-CN': '', en: '' } })),
  sharing: 'unconditional',
  updateFrequency: 'on_issue',
  legalBasis: 'test',
  trustLevel: 'A',
  quality: [
    { kind: 'required', field: 'holderName' },
    { kind: 'pattern', field: 'holderCitizenId', pattern: '^[0-9]{17}[0-9X]$' },
    { kind: 'oneOf', field: 'status', values: ['valid', 'revoked'] },
    { kind: 'notExpired', field: 'validUntil' },
  ],
};

describe('evidence quality rules', () => {
  it('given fields that satisfy every rule, when checked, then there are no issues', () => {
    expect(checkQuality(item, { holderName: '王五', holderCitizenId: '11010519491231002X', status: 'valid', validUntil: '2026-11-21' }, '2026-11-21')).to.deep.equal([]);
  });

  it('given a value breaking each rule, when checked, then each is reported by field and rule, never echoing the value', () => {
    const issues = checkQuality(item, { holderName: ' ', holderCitizenId: '110105194912310', status: 'lost', validUntil: '2026-11-20' }, '2026-11-21');
    expect(issues.map((i) => [i.field, i.rule])).to.deep.equal([
      ['holderName', 'required'],
      ['holderCitizenId', 'pattern'],
      ['status', 'oneOf'],
      ['validUntil', 'notExpired'],
    ]);
    expect(issues.map((i) => i.message).join(' ')).to.not.contain('110105194912310');
    expect(issues[3]?.message).to.equal('validUntil expired on 2026-11-20');
  });

  it('given a rule about a field the case did not ask for, when checked, then the rule is skipped', () => {
    expect(checkQuality(item, { status: 'valid' }, '2026-11-21')).to.deep.equal([]);
  });

  it('given an expiry that is not a date, when checked, then it says the expiry cannot be checked', () => {
    expect(checkQuality(item, { validUntil: 'soon' }, '2026-11-21').map((i) => i.message)).to.deep.equal(['validUntil is not a date, so its expiry cannot be checked']);
  });

  it('given empty optional values, when checked, then only required says anything', () => {
    expect(checkQuality(item, { holderName: null, holderCitizenId: null, status: null, validUntil: null }, '2026-11-21').map((i) => i.rule)).to.deep.equal(['required']);
  });
});
