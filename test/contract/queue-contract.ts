import { expect } from 'chai';
import { InvalidJobError, PermanentJobError, type Job, type JobQueue } from '../../adapters/queue/index.ts';
import { gate, queueName, rejectionOf, sleep, waitFor, type QueueFactory, type QueueFixture } from './queue-helpers.ts';
import { schedulerContract } from './queue-scheduler-contract.ts';

/** One behaviour for every JobQueue adapter: the embedded default and BullMQ must be interchangeable. */
export function queueContract(name: string, factory: QueueFactory): void {
  describe(`JobQueue contract: ${name}`, function () {
    let fixture: QueueFixture;
    let queue: JobQueue;

    beforeEach(async () => {
      fixture = await factory();
      queue = fixture.queue;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('processes an added job with its id, name, payload and attempt 1', async () => {
      const q = queueName('basic');
      const seen: Job[] = [];
      queue.process<{ caseId: string }>(q, async (job) => void seen.push(job));
      await queue.add(q, 'fetch-evidence', { caseId: 'case-1' }, { jobId: 'case-1.licence' });
      await waitFor(() => seen.length === 1, 'the job to run');
      expect(seen[0]).to.deep.equal({ id: 'case-1.licence', queue: q, name: 'fetch-evidence', payload: { caseId: 'case-1' }, attempt: 1 });
      await waitFor(async () => (await queue.depth(q)) === 0, 'depth to drop to 0');
    });

    it('treats a duplicate jobId as a no-op while waiting, while active and after completion', async () => {
      const q = queueName('dedupe');
      const runs: string[] = [];
      const hold = gate();
      await queue.add(q, 'n', { copy: 1 }, { jobId: 'case-2.item' });
      await queue.add(q, 'n', { copy: 2 }, { jobId: 'case-2.item' });
      queue.process<{ copy: number }>(q, async (job) => {
        runs.push(`${job.id}#${job.payload.copy}`);
        if (job.id === 'case-2.item') await hold.promise;
      });
      await waitFor(() => runs.length === 1, 'the first copy to start');
      await queue.add(q, 'n', { copy: 3 }, { jobId: 'case-2.item' });
      hold.open();
      await waitFor(async () => (await queue.depth(q)) === 0, 'the job to complete');
      await queue.add(q, 'n', { copy: 4 }, { jobId: 'case-2.item' });
      // Jobs run in order on one worker, so once the sentinel ran, a re-added copy would have run before it.
      await queue.add(q, 'n', { copy: 0 }, { jobId: 'sentinel' });
      await waitFor(() => runs.includes('sentinel#0'), 'the sentinel');
      expect(runs).to.deep.equal(['case-2.item#1', 'sentinel#0']);
    });

    it('runs a finished job id again once remove() has forgotten it', async () => {
      const q = queueName('forget');
      const runs: number[] = [];
      queue.process<{ n: number }>(q, async (job) => void runs.push(job.payload.n));
      await queue.add(q, 'n', { n: 1 }, { jobId: 'case-3.item' });
      await waitFor(() => runs.length === 1, 'the first run');
      await waitFor(async () => (await queue.depth(q)) === 0, 'completion');
      await queue.remove(q, 'case-3.item');
      await queue.add(q, 'n', { n: 2 }, { jobId: 'case-3.item' });
      await waitFor(() => runs.length === 2, 'the second run');
      expect(runs).to.deep.equal([1, 2]);
    });

    it('with replaceFinished, runs again a job whose id finished (completed or failed), but still dedupes a pending one', async () => {
      const q = queueName('replace');
      const runs: string[] = [];
      const hold = gate();
      queue.process<{ n: number }>(q, async (job) => {
        runs.push(`${job.id}#${job.payload.n}`);
        if (job.id === 'case-f.item') throw new PermanentJobError('store was down');
        if (job.id === 'case-h.item' && job.payload.n === 1) await hold.promise;
      });
      await queue.add(q, 'n', { n: 1 }, { jobId: 'case-r.item' });
      await queue.add(q, 'n', { n: 1 }, { jobId: 'case-f.item' });
      await waitFor(async () => runs.length === 2 && (await queue.depth(q)) === 0, 'both to finish');
      await queue.add(q, 'n', { n: 2 }, { jobId: 'case-r.item', replaceFinished: true });
      await queue.add(q, 'n', { n: 2 }, { jobId: 'case-f.item', replaceFinished: true });
      await waitFor(() => runs.length === 4, 'both to run again');
      await queue.add(q, 'n', { n: 1 }, { jobId: 'case-h.item' });
      await waitFor(() => runs.includes('case-h.item#1'), 'the held job to start');
      await queue.add(q, 'n', { n: 2 }, { jobId: 'case-h.item', replaceFinished: true });
      hold.open();
      await waitFor(async () => (await queue.depth(q)) === 0, 'the held job to finish');
      await queue.add(q, 'n', { n: 0 }, { jobId: 'sentinel' });
      await waitFor(() => runs.includes('sentinel#0'), 'the sentinel');
      expect([...runs].sort()).to.deep.equal(['case-f.item#1', 'case-f.item#2', 'case-h.item#1', 'case-r.item#1', 'case-r.item#2', 'sentinel#0']);
    });

    it('keeps one epoch while its jobs are kept', async () => {
      const first = await queue.epoch();
      expect(first).to.be.a('string').and.not.equal('');
      await queue.add(queueName('epoch'), 'n', {}, { jobId: 'case-e.item', delayMs: 60_000 });
      expect(await queue.epoch()).to.equal(first);
    });

    it("rejects a jobId containing ':' or made of digits only, and enqueues nothing", async () => {
      const q = queueName('ids');
      for (const jobId of ['case-4:item', 'a:b:c', '42', '']) {
        const error = await rejectionOf(queue.add(q, 'n', {}, { jobId }));
        expect(error, jobId).to.be.instanceOf(InvalidJobError);
      }
      expect(((await rejectionOf(queue.add(q, 'n', {}, { jobId: 'case-4:item' }))) as Error).message).to.match(/must not contain ':'/);
      expect(await queue.depth(q)).to.equal(0);
    });

    it('does not run a delayed job before its delay, and runs it after', async () => {
      const q = queueName('delay');
      let ranAt = 0;
      queue.process(q, async () => void (ranAt = Date.now()));
      const addedAt = Date.now();
      await queue.add(q, 'n', {}, { jobId: 'case-5.timer', delayMs: 400 });
      expect(await queue.depth(q)).to.equal(1);
      await sleep(100);
      expect(ranAt, 'ran before its delay').to.equal(0);
      await waitFor(() => ranAt > 0, 'the delayed job');
      expect(ranAt - addedAt).to.be.at.least(400 - 10);
    });

    it('retries with exponential backoff until the handler succeeds', async () => {
      const q = queueName('retry');
      const starts: { attempt: number; at: number }[] = [];
      let failed = 0;
      queue.process(
        q,
        async (job) => {
          starts.push({ attempt: job.attempt, at: Date.now() });
          if (job.attempt < 3) throw new Error(`transient ${job.attempt}`);
        },
        { onFailed: () => void failed++ },
      );
      await queue.add(q, 'n', {}, { jobId: 'case-6.item', attempts: 5, backoffMs: 60 });
      await waitFor(async () => starts.length === 3 && (await queue.depth(q)) === 0, 'three attempts and completion');
      expect(starts.map((s) => s.attempt)).to.deep.equal([1, 2, 3]);
      // Retry n waits backoffMs * 2^(n-1): 60 ms, then 120 ms (lower bounds of the delay, not speed).
      expect(starts[1]!.at - starts[0]!.at).to.be.at.least(60 - 10);
      expect(starts[2]!.at - starts[1]!.at).to.be.at.least(120 - 10);
      expect(failed).to.equal(0);
    });

    it('calls onFailed once when the attempts are exhausted', async () => {
      const q = queueName('exhaust');
      const attempts: number[] = [];
      const failures: { job: Job; error: unknown }[] = [];
      queue.process(
        q,
        async (job) => {
          if (job.id === 'sentinel') return;
          attempts.push(job.attempt);
          throw new Error('department offline');
        },
        { onFailed: (job, error) => void failures.push({ job, error }) },
      );
      await queue.add(q, 'n', { caseId: 'case-7' }, { jobId: 'case-7.item', attempts: 3, backoffMs: 10 });
      await waitFor(() => failures.length === 1, 'onFailed');
      await queue.add(q, 'n', {}, { jobId: 'sentinel' });
      await waitFor(async () => (await queue.depth(q)) === 0, 'the sentinel');
      expect(attempts).to.deep.equal([1, 2, 3]);
      expect(failures).to.have.length(1);
      expect(failures[0]!.job).to.include({ id: 'case-7.item', attempt: 3 });
      expect(failures[0]!.job.payload).to.deep.equal({ caseId: 'case-7' });
      expect((failures[0]!.error as Error).message).to.equal('department offline');
    });

    it('does not retry a PermanentJobError and calls onFailed once with it', async () => {
      const q = queueName('permanent');
      const attempts: number[] = [];
      const errors: unknown[] = [];
      queue.process(
        q,
        async (job) => {
          if (job.id === 'sentinel') return;
          attempts.push(job.attempt);
          throw new PermanentJobError('certificate revoked');
        },
        { onFailed: (_job, error) => void errors.push(error) },
      );
      await queue.add(q, 'n', {}, { jobId: 'case-8.item', attempts: 5, backoffMs: 10 });
      await waitFor(() => errors.length === 1, 'onFailed');
      await queue.add(q, 'n', {}, { jobId: 'sentinel' });
      await waitFor(async () => (await queue.depth(q)) === 0, 'the sentinel');
      expect(attempts).to.deep.equal([1]);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(PermanentJobError);
      expect((errors[0] as Error).message).to.equal('certificate revoked');
    });

    it('never runs a delayed job that was removed', async () => {
      const q = queueName('remove');
      const ran: string[] = [];
      queue.process(q, async (job) => void ran.push(job.id));
      await queue.add(q, 'n', {}, { jobId: 'case-9.timer', delayMs: 200 });
      await queue.remove(q, 'case-9.timer');
      await queue.remove(q, 'never-added');
      await queue.add(q, 'n', {}, { jobId: 'sentinel', delayMs: 400 });
      await waitFor(() => ran.includes('sentinel'), 'the later sentinel');
      expect(ran).to.deep.equal(['sentinel']);
    });

    it('keeps at most `concurrency` jobs in flight per worker', async () => {
      const q = queueName('concurrency');
      let inFlight = 0;
      let maxInFlight = 0;
      let done = 0;
      for (let i = 0; i < 9; i++) await queue.add(q, 'n', {}, { jobId: `job-${i}` });
      queue.process(
        q,
        async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(80);
          inFlight--;
          done++;
        },
        { concurrency: 3 },
      );
      await waitFor(() => done === 9, 'all nine jobs');
      expect(maxInFlight).to.equal(3);
    });

    it('starts at most `max` jobs per limiter window', async () => {
      const q = queueName('limiter');
      const max = 2;
      const durationMs = 200;
      const starts: number[] = [];
      for (let i = 0; i < 10; i++) await queue.add(q, 'n', {}, { jobId: `job-${i}` });
      queue.process(q, async () => void starts.push(Date.now()), { concurrency: 5, limiter: { max, durationMs } });
      await waitFor(() => starts.length === 10, 'all ten jobs');
      // Windows open on their first start and last durationMs. Counting starts in the half window after each one
      // is immune to where a window boundary falls; without a limiter all ten start within a few milliseconds.
      for (const from of starts) {
        const inHalfWindow = starts.filter((t) => t >= from && t < from + durationMs / 2).length;
        expect(inHalfWindow, `starts within ${durationMs / 2} ms of ${from}`).to.be.at.most(max);
      }
      // Ten jobs at two per window need five windows, so the first and last start are four windows apart.
      expect(Math.max(...starts) - Math.min(...starts)).to.be.at.least(4 * durationMs - 20);
    });

    it('reports depth as waiting + delayed + active', async () => {
      const q = queueName('depth');
      expect(await queue.depth(q)).to.equal(0);
      await queue.add(q, 'n', {}, { jobId: 'a' });
      await queue.add(q, 'n', {}, { jobId: 'b' });
      await queue.add(q, 'n', {}, { jobId: 'later', delayMs: 60_000 });
      expect(await queue.depth(q)).to.equal(3);
      const hold = gate();
      let started = 0;
      queue.process(q, async () => {
        started++;
        await hold.promise;
      });
      await waitFor(() => started === 1, 'one job to be active');
      expect(await queue.depth(q)).to.equal(3);
      hold.open();
      await waitFor(async () => (await queue.depth(q)) === 1, 'the two waiting jobs to finish');
      await queue.remove(q, 'later');
      expect(await queue.depth(q)).to.equal(0);
    });

    it('stops a closed worker from taking jobs, which stay for the next worker', async () => {
      const q = queueName('worker-close');
      const first: string[] = [];
      const worker = queue.process(q, async (job) => void first.push(job.id));
      await queue.add(q, 'n', {}, { jobId: 'before' });
      await waitFor(() => first.length === 1, 'the first job');
      await worker.close();
      await queue.add(q, 'n', {}, { jobId: 'after' });
      await sleep(300);
      expect(first).to.deep.equal(['before']);
      expect(await queue.depth(q)).to.equal(1);
      const second: string[] = [];
      queue.process(q, async (job) => void second.push(job.id));
      await waitFor(() => second.length === 1, 'the next worker');
      expect(second).to.deep.equal(['after']);
    });

    it('processes nothing after close() and rejects further adds', async () => {
      const q = queueName('close');
      const ran: string[] = [];
      queue.process(q, async (job) => void ran.push(job.id));
      await queue.add(q, 'n', {}, { jobId: 'due-soon', delayMs: 150 });
      await queue.ping();
      await queue.close();
      await sleep(400);
      expect(ran).to.deep.equal([]);
      expect(await rejectionOf(queue.add(q, 'n', {}, { jobId: 'too-late' }))).to.be.instanceOf(Error);
      expect(await rejectionOf(queue.ping())).to.be.instanceOf(Error);
    });

    schedulerContract(() => queue);
  });
}
