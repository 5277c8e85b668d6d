import { createMemoryHitCounter } from '../../adapters/rate-limit/index.ts';
import { createRedisHitCounter } from '../../adapters/rate-limit/redis/index.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { hitCounterContract } from './hit-counter.contract.ts';

hitCounterContract('memory', async () => {
  const counter = createMemoryHitCounter();
  return { counter, another: async () => createMemoryHitCounter(), cleanup: () => counter.close() };
});

hitCounterContract('Redis', async () => {
  const prefix = testPrefix('hit-counter');
  const counter = await createRedisHitCounter({ url: TEST_REDIS_URL, prefix });
  return {
    counter,
    another: () => createRedisHitCounter({ url: TEST_REDIS_URL, prefix }),
    async cleanup() {
      await counter.close();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    },
  };
});
