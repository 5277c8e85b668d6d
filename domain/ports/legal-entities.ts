import type { LegalEntityRecord } from '../agents/representation.ts';

/**
 * The legal-entity base data (法人库): who an enterprise's legal representative is, as the platform's base library
 * holds it. Asked when someone applies as an enterprise's legal representative; answers only what that check needs.
 */
export interface LegalEntityRegistry {
  readonly name: string;
  /** The record for a unified social credit code; null when the base data has none. */
  lookup(creditCode: string): Promise<LegalEntityRecord | null>;
}
