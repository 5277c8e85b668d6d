import { createDemoLibraryProvider } from '../../adapters/evidence/index.ts';
import { createPlatformRequestSigner } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { createProviderRouter } from '../../adapters/evidence/index.ts';
import { seedSqlLibrary } from '../../adapters/evidence/sql/index.ts';
import { createSqlLibraryProvider } from '../../adapters/evidence/sql/index.ts';
import { startEmbeddedGateways } from '../../adapters/gateway/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { demoLibrary, shippedCatalogue } from './evidence-fixtures.ts';
import { evidenceProviderContract } from './evidence-provider.contract.ts';

evidenceProviderContract('demo library in memory', async () => ({
  provider: createDemoLibraryProvider({ library: demoLibrary(), catalogue: shippedCatalogue() }),
  close: async () => undefined,
}));

evidenceProviderContract('SQL library in PostgreSQL', async () => {
  const database = await createTestDatabase('evidence_contract');
  await seedSqlLibrary(database.url, demoLibrary(), { catalogue: shippedCatalogue() });
  const provider = createSqlLibraryProvider({ connectionString: database.url, catalogue: shippedCatalogue() });
  return {
    provider,
    async close() {
      await provider.close?.();
      await database.drop();
    },
  };
});

evidenceProviderContract('department gateways over HTTP, in front of the demo library', async () => {
  const catalogue = shippedCatalogue();
  const platformKey = generateSigningKey('platform-1');
  const signer = createPlatformRequestSigner({ privateKey: platformKey.privateKey, kid: platformKey.kid });
  const library = createDemoLibraryProvider({ library: demoLibrary(), catalogue });
  const gateways = await startEmbeddedGateways({ catalogue, library, signer });
  const router = createProviderRouter({ catalogue, gateways: gateways.providers });
  return { provider: router, close: () => gateways.close() };
});
