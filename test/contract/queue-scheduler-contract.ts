import { expect } from 'chai';
import { createScheduler, type DueTimer, type JobQueue } from '../../adapters/queue/index.ts';
import { SimulatedClock, systemClock } from '../../domain/time/clock.ts';
import { queueName, waitFor } from './queue-helpers.ts';

/** The durable-timer helper, run inside queueContract so it is exercised on every adapter. */
export function schedulerContract(getQueue: () => JobQueue): void {
  describe('scheduler on top of the queue', () => {
    it('fires a timer at its due time with its id and payload', async () => {
      const scheduler = createScheduler(getQueue(), systemClock, { queueName: queueName('timers') });
      const fired: { timer: DueTimer<{ kind: string }>; at: number }[] = [];
      scheduler.onDue<{ kind: string }>(async (timer) => void fired.push({ timer, at: Date.now() }));
      const dueAt = new Date(Date.now() + 300);
      await scheduler.schedule('case-10.acceptance-deadline', dueAt, { kind: 'acceptance-deadline' });
      await waitFor(() => fired.length === 1, 'the timer');
      expect(fired[0]!.timer).to.deep.equal({ timerId: 'case-10.acceptance-deadline', dueAt, payload: { kind: 'acceptance-deadline' }, attempt: 1 });
      expect(fired[0]!.at).to.be.at.least(dueAt.getTime() - 10);
    });

    it('takes the delay from its clock, so an overdue timer fires at once', async () => {
      // The clock says it is already an hour past due: delay = dueAt - clock.now() is negative, clamped to 0.
      const clock = new SimulatedClock('2026-03-02T09:00:00Z');
      const scheduler = createScheduler(getQueue(), clock, { queueName: queueName('timers') });
      const fired: string[] = [];
      scheduler.onDue(async (timer) => void fired.push(timer.timerId));
      await scheduler.schedule('case-11.overdue', new Date('2026-03-02T08:00:00Z'), {});
      await waitFor(() => fired.length === 1, 'the overdue timer');
      expect(fired).to.deep.equal(['case-11.overdue']);
    });

    it('never fires a cancelled timer', async () => {
      const scheduler = createScheduler(getQueue(), systemClock, { queueName: queueName('timers') });
      const fired: string[] = [];
      scheduler.onDue(async (timer) => void fired.push(timer.timerId));
      await scheduler.schedule('case-12.reminder', new Date(Date.now() + 200), {});
      await scheduler.cancel('case-12.reminder');
      await scheduler.cancel('case-12.never-armed');
      await scheduler.schedule('case-12.later', new Date(Date.now() + 400), {});
      await waitFor(() => fired.includes('case-12.later'), 'the later timer');
      expect(fired).to.deep.equal(['case-12.later']);
    });

    it('re-arms a timer that is scheduled again: the latest due time wins, and a fired timer can fire again', async () => {
      const scheduler = createScheduler(getQueue(), systemClock, { queueName: queueName('timers') });
      const fired: DueTimer[] = [];
      scheduler.onDue(async (timer) => void fired.push(timer));
      await scheduler.schedule('case-13.deadline', new Date(Date.now() + 60_000), { version: 1 });
      const moved = new Date(Date.now() + 100);
      await scheduler.schedule('case-13.deadline', moved, { version: 2 });
      await waitFor(() => fired.length === 1, 'the moved deadline');
      expect(fired[0]!.dueAt).to.deep.equal(moved);
      expect(fired[0]!.payload).to.deep.equal({ version: 2 });
      await scheduler.schedule('case-13.deadline', new Date(Date.now() + 50), { version: 3 });
      await waitFor(() => fired.length === 2, 'the re-armed deadline');
      expect(fired[1]!.payload).to.deep.equal({ version: 3 });
    });
  });
}
