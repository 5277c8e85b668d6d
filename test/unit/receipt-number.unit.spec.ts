import { expect } from 'chai';
import { receiptNumber } from '../../workflows/index.ts';

describe('receipt numbers on acceptance notices', () => {
  it('given a case accepted on a day, when it is numbered, then the number is the day and 12 hex digits of the case id', () => {
    expect(receiptNumber('2026-03-02', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')).to.equal('R-20260302-0A1B2C3D4E5F');
  });

  it('given two cases accepted on one day whose ids share their first 32 bits, when they are numbered, then the numbers differ', () => {
    const first = receiptNumber('2026-03-02', 'deadbeef-0001-4000-8000-000000000001');
    const second = receiptNumber('2026-03-02', 'deadbeef-0002-4000-8000-000000000002');
    expect(first).to.not.equal(second);
  });
});
