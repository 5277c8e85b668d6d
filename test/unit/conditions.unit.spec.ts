import { expect } from 'chai';
import { evaluateConditions, type Condition } from '../../domain/catalogue/index.ts';

const today = '2026-03-10';

describe('instant-approval conditions', () => {
  const conditions: Condition[] = [
    { material: 'social-insurance', field: 'monthsContributed', op: 'gte', value: 12 },
    { material: 'social-insurance', field: 'insuredStatus', op: 'eq', value: 'active' },
    { material: 'household', field: 'registrationRegion', op: 'in', value: ['440305', '440304'] },
    { material: 'permit', field: 'validUntil', op: 'notExpired' },
  ];

  it('given evidence meeting every condition, when evaluated, then it passes', () => {
    const result = evaluateConditions(
      conditions,
      {
        'social-insurance': { monthsContributed: 36, insuredStatus: 'active' },
        household: { registrationRegion: '440305' },
        permit: { validUntil: today },
      },
      today,
    );
    expect(result).to.deep.equal({ passed: true, failures: [] });
  });

  it('given evidence failing several conditions, when evaluated, then every failure is listed', () => {
    const result = evaluateConditions(
      conditions,
      {
        'social-insurance': { monthsContributed: 6, insuredStatus: 'suspended' },
        household: { registrationRegion: '310104' },
        permit: { validUntil: '2026-03-09' },
      },
      today,
    );
    expect(result).to.deep.equal({
      passed: false,
      failures: [
        'social-insurance.monthsContributed must be at least 12, got 6',
        'social-insurance.insuredStatus must equal "active", got "suspended"',
        'household.registrationRegion must be one of "440305", "440304", got "310104"',
        'permit.validUntil expired on 2026-03-09 (today is 2026-03-10)',
      ],
    });
  });

  it('given missing evidence or a missing field, when evaluated, then it fails naming what is missing', () => {
    const result = evaluateConditions(conditions, { 'social-insurance': { insuredStatus: 'active' } }, today);
    expect(result.failures).to.deep.equal([
      'social-insurance.monthsContributed is missing',
      'household: evidence is missing',
      'permit: evidence is missing',
    ]);
  });

  it('given exists and ne, when evaluated, then presence and inequality are checked', () => {
    const rules: Condition[] = [
      { material: 'm', field: 'a', op: 'exists' },
      { material: 'm', field: 'b', op: 'ne', value: 'revoked' },
    ];
    expect(evaluateConditions(rules, { m: { a: 'x', b: 'active' } }, today).passed).to.equal(true);
    expect(evaluateConditions(rules, { m: { a: '', b: 'revoked' } }, today).failures).to.deep.equal([
      'm.a must be present, got nothing',
      'm.b must not equal "revoked"',
    ]);
  });

  it('given date comparisons, when evaluated, then dates compare in calendar order', () => {
    const adult: Condition[] = [{ material: 'id', field: 'birthDate', op: 'lte', value: '2008-03-10' }];
    expect(evaluateConditions(adult, { id: { birthDate: '2008-03-10' } }, today).passed).to.equal(true);
    expect(evaluateConditions(adult, { id: { birthDate: '2008-03-11' } }, today).failures).to.deep.equal([
      'id.birthDate must be at most "2008-03-10", got "2008-03-11"',
    ]);
  });

  it('given a value of the wrong type for a comparison, when evaluated, then it fails instead of comparing strings with numbers', () => {
    const rules: Condition[] = [{ material: 'tax', field: 'arrearsAmount', op: 'lte', value: 0 }];
    expect(evaluateConditions(rules, { tax: { arrearsAmount: '0' } }, today).failures).to.deep.equal([
      'tax.arrearsAmount cannot be compared with 0: got the string "0"',
    ]);
    expect(evaluateConditions(rules, { tax: { arrearsAmount: -0.5 } }, today).passed).to.equal(true);
  });

  it('given no conditions, when evaluated, then it passes', () => {
    expect(evaluateConditions([], {}, today)).to.deep.equal({ passed: true, failures: [] });
  });

  it('given a bad today, when evaluated, then it throws rather than guessing the date', () => {
    expect(() => evaluateConditions(conditions, {}, '10/03/2026')).to.throw(RangeError, /today/);
  });
});
