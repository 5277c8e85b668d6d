import { expect } from 'chai';
import type { LegalEntityRegistry } from '../../adapters/legal-entities/index.ts';

export interface LegalEntityRegistryHarness {
  registry: LegalEntityRegistry;
  /** An enterprise the base data holds, with its legal representative's citizen ID. */
  known: { creditCode: string; legalRepresentativeId: string };
}

/** What every LegalEntityRegistry adapter must do. */
export function legalEntityRegistryContract(name: string, open: () => Promise<LegalEntityRegistryHarness>): void {
  describe(`LegalEntityRegistry contract: ${name}`, () => {
    let harness: LegalEntityRegistryHarness;
    before(async () => {
      harness = await open();
    });

    it('given an enterprise in the base data, then it answers its legal representative, status and source, and nothing more', async () => {
      const record = await harness.registry.lookup(harness.known.creditCode);
      expect(record).to.include({ creditCode: harness.known.creditCode, legalRepresentativeId: harness.known.legalRepresentativeId });
      expect(Object.keys(record!).sort()).to.deep.equal(['creditCode', 'legalRepresentativeId', 'source', 'status']);
      expect(record!.status).to.be.a('string').and.not.equal('');
    });

    it('given a credit code the base data does not hold, or one that is not a credit code, then it answers null', async () => {
      for (const code of ['91440300MA5F1B2C3Y', '', 'x'.repeat(500), '913101049979654365 ']) expect(await harness.registry.lookup(code), code).to.equal(null);
    });
  });
}
