import { expect } from 'chai';
import type { CaseContext } from '../../workflows/index.ts';
import { certificateFor } from '../../workflows/index.ts';
import type { DecideEnvironment } from '../../workflows/index.ts';

const CONTEXT = { caseId: '6559e0e3-b2c1-86eb-bd97-94c98d0ff61a', applicant: { type: 'enterprise', id: '91110105020651468X' } } as unknown as CaseContext;
const envFor = (today: string, validityMonths: number | null) =>
  ({ today, entropy: new Uint8Array(16), definition: { applicantType: 'enterprise', outcome: { certificateType: 'no-tax-arrears-certificate', validityMonths } } }) as unknown as DecideEnvironment;
const validUntil = (today: string, months: number | null) => (certificateFor(CONTEXT, envFor(today, months)).data as { validUntil: string | null }).validUntil;

describe('certificate validity: N months from the issue date, never past the end of the N-th month', () => {
  it('given a day every month has, when issued, then it runs to the same day N months on', () => {
    expect(validUntil('2026-03-03', 3)).to.equal('2026-06-03');
    expect(validUntil('2026-03-05', 12)).to.equal('2027-03-05');
  });

  it('given an issue date at the end of a longer month, when the N-th month is shorter, then it ends on that month\'s last day (not spilling into the next)', () => {
    // A one-month 无欠税证明 issued on 31 January must not still be valid on 3 March.
    expect(validUntil('2026-01-31', 1)).to.equal('2026-02-28');
    expect(validUntil('2028-01-30', 1)).to.equal('2028-02-29');
    expect(validUntil('2025-11-30', 3)).to.equal('2026-02-28');
    expect(validUntil('2026-08-31', 1)).to.equal('2026-09-30');
    expect(validUntil('2028-02-29', 12)).to.equal('2029-02-28');
    expect(validUntil('2026-12-31', 60)).to.equal('2031-12-31');
  });

  it('given no validity, then the certificate has none', () => {
    expect(validUntil('2026-01-31', null)).to.equal(null);
  });
});
