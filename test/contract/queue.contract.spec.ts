import { createInProcessQueue } from '../../adapters/queue/index.ts';
import { createBullMQQueue } from '../../adapters/queue/bullmq/index.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { queueContract } from './queue-contract.ts';

queueContract('in-process', async () => {
  const queue = createInProcessQueue();
  return { queue, cleanup: () => queue.close() };
});

queueContract('BullMQ', async () => {
  const prefix = testPrefix('queue-contract');
  const queue = createBullMQQueue({ redisUrl: TEST_REDIS_URL, prefix });
  return {
    queue,
    async cleanup() {
      await queue.close();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    },
  };
});
