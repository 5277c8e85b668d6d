import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { type JobQueue } from '../../adapters/queue/index.ts';
import { createBullMQQueue } from '../../adapters/queue/bullmq/index.ts';
import { gate, queueName, rejectionOf, waitFor } from '../contract/queue-helpers.ts';
import { deleteKeysWithPrefix, startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';

const CRASH_WORKER = fileURLToPath(new URL('./queue-crash-worker.ts', import.meta.url));

/** Resolves when the child prints a line starting with `prefix`; rejects if it exits first. */
function lineFrom(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`crash worker exited (${code}) before printing "${prefix}"`)));
  });
}

describe('BullMQ queue against real Redis', function () {
  this.timeout(60_000);

  describe('a worker killed mid-job', () => {
    const prefix = testPrefix('queue-int-crash');
    let child: ChildProcess | undefined;
    let survivor: JobQueue | undefined;
    let effects: Redis | undefined;

    after(async () => {
      child?.kill('SIGKILL');
      await survivor?.close();
      effects?.disconnect();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    });

    it('has its job redelivered to another worker, and an idempotent effect lands exactly once', async () => {
      const q = queueName('crash');
      const effectKey = `${prefix}:effect`;
      const timings = { lockDurationMs: 1000, stalledIntervalMs: 500 };
      effects = new Redis(TEST_REDIS_URL);
      child = spawn(process.execPath, ['--import', 'tsx', CRASH_WORKER], {
        env: { ...process.env, QUEUE_CRASH_WORKER: JSON.stringify({ redisUrl: TEST_REDIS_URL, prefix, queue: q, effectKey, ...timings }) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await lineFrom(child, 'ready');

      survivor = createBullMQQueue({ redisUrl: TEST_REDIS_URL, prefix, ...timings });
      await survivor.add(q, 'fetch-evidence', { caseId: 'case-20' }, { jobId: 'case-20.licence', attempts: 3 });
      await lineFrom(child, 'effect-written case-20.licence');
      const killed = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await killed;

      const redelivered: { id: string; attempt: number; applied: boolean }[] = [];
      survivor.process(q, async (job) => {
        const applied = (await effects!.set(`${effectKey}:${job.id}`, `survivor attempt ${job.attempt}`, 'NX')) === 'OK';
        await effects!.incr(`${effectKey}:${job.id}:deliveries`);
        redelivered.push({ id: job.id, attempt: job.attempt, applied });
      });
      // Lock expiry plus two stalled checks: a few seconds; the wait only guards against a hang.
      await waitFor(async () => redelivered.length === 1 && (await survivor!.depth(q)) === 0, 'redelivery and completion', 30_000);

      // A stall is not a failed attempt, so the redelivery is still attempt 1.
      expect(redelivered).to.deep.equal([{ id: 'case-20.licence', attempt: 1, applied: false }]);
      expect(await effects.get(`${effectKey}:case-20.licence`)).to.equal('crashed-worker attempt 1');
      // At least once: the handler ran twice; only the keyed write made that harmless.
      expect(await effects.get(`${effectKey}:case-20.licence:deliveries`)).to.equal('2');
    });
  });

  describe('Redis restarted mid-run (non-persistent throwaway server)', () => {
    const prefix = testPrefix('queue-int-restart');
    let redis: ThrowawayRedis | undefined;
    let queue: JobQueue | undefined;

    after(async () => {
      await queue?.close();
      await redis?.stop();
    });

    it('reconnects and processes jobs added after the restart; jobs held only in Redis are lost until re-added', async () => {
      redis = await startThrowawayRedis();
      const errors: unknown[] = [];
      queue = createBullMQQueue({ redisUrl: redis.url, prefix, pingTimeoutMs: 500, onError: (error) => errors.push(error) });
      const q = queueName('restart');
      const ran: string[] = [];
      const hold = gate();
      queue.process(q, async (job) => {
        ran.push(job.id);
        if (job.id === 'case-21.active') await hold.promise;
      });
      await queue.add(q, 'n', {}, { jobId: 'case-21.before' });
      await waitFor(() => ran.includes('case-21.before'), 'the job before the restart');
      await queue.add(q, 'n', {}, { jobId: 'case-21.active' });
      await queue.add(q, 'n', {}, { jobId: 'case-21.delayed', delayMs: 60_000 });
      await waitFor(() => ran.includes('case-21.active'), 'a job to be mid-flight');

      await redis.stop({ crash: true });
      expect(await rejectionOf(queue.ping()), 'ping while Redis is down').to.be.instanceOf(Error);
      await redis.restart();
      hold.open();
      await waitFor(async () => (await rejectionOf(queue!.ping())) === undefined, 'the adapter to reconnect', 30_000);

      // The empty Redis knows nothing of the delayed job or the one that was running.
      expect(await queue.depth(q)).to.equal(0);
      await queue.add(q, 'n', {}, { jobId: 'case-21.after' });
      await waitFor(() => ran.includes('case-21.after'), 'a job added after the restart', 30_000);

      // What the event-store reactor does on start: re-derive pending work and add it again under the same ids.
      await queue.add(q, 'n', {}, { jobId: 'case-21.delayed' });
      await queue.add(q, 'n', {}, { jobId: 'case-21.active' });
      await waitFor(() => ran.filter((id) => id === 'case-21.active').length === 2 && ran.includes('case-21.delayed'), 're-derived jobs', 30_000);
      await waitFor(async () => (await queue!.depth(q)) === 0, 'an empty queue');
      expect(errors.length, 'connection errors went to onError, not to the process').to.be.greaterThan(0);
      await deleteKeysWithPrefix(redis.url, prefix);
    });
  });
});
