import { expect } from 'chai';
import { createInProcessQueue } from '../../adapters/queue/index.ts';

describe('the embedded queue: a delayed job is due by the wall clock', () => {
  const realNow = Date.now;
  afterEach(() => {
    Date.now = realNow;
  });

  it('given a job delayed an hour, when the wall clock steps two hours forward (a VM resumed, NTP), then it runs within one wall-clock check, not an hour of timer later', async () => {
    const queue = createInProcessQueue({ wallClockCheckMs: 20 });
    try {
      let ran!: () => void;
      const done = new Promise<void>((resolve) => {
        ran = resolve;
      });
      queue.process('deadlines', async () => ran());
      await queue.add('deadlines', 'deem-accepted', { caseId: 'c1' }, { jobId: 'c1.deem', delayMs: 3_600_000 });
      const started = realNow();
      Date.now = () => realNow() + 2 * 3_600_000;
      const outcome = await Promise.race([done.then(() => 'ran'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 10_000))]);
      expect(outcome).to.equal('ran');
      expect(realNow() - started).to.be.lessThan(10_000);
    } finally {
      await queue.close();
    }
  });

  it('given a job delayed an hour, when no wall-clock time passes, then it does not run early', async () => {
    const queue = createInProcessQueue({ wallClockCheckMs: 20 });
    try {
      const runs: string[] = [];
      queue.process('deadlines', async (job) => void runs.push(job.id));
      await queue.add('deadlines', 'deem-accepted', { caseId: 'c2' }, { jobId: 'c2.deem', delayMs: 3_600_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(runs).to.deep.equal([]);
    } finally {
      await queue.close();
    }
  });
});
