import { createMemoryReplayCache, createPostgresReplayCache } from '../../adapters/gateway/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { replayCacheContract } from './replay-cache.contract.ts';

replayCacheContract('memory', async () => {
  const cache = createMemoryReplayCache();
  return { cache, shared: false, another: async () => createMemoryReplayCache(), cleanup: () => cache.close() };
});

replayCacheContract('PostgreSQL', async () => {
  const database = await createTestDatabase('replays');
  const cache = await createPostgresReplayCache({ connectionString: database.url, department: 'PSB' });
  return {
    cache,
    shared: true,
    another: () => createPostgresReplayCache({ connectionString: database.url, department: 'PSB' }),
    async cleanup() {
      await cache.close();
      await database.drop();
    },
  };
});
