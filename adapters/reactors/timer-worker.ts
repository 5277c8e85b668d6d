import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import type { TimerPayload } from '../../workflows/index.ts';
import type { JobQueue, Worker } from '../../domain/ports/queue.ts';
import { isDependencyUnavailable } from '../dependency-unavailable.ts';
import { TIMER_QUEUE } from './case-jobs-reactor.ts';

/**
 * Fires due timers as system commands. The job id is the command id, so a timer delivered twice (at-least-once) or
 * re-enqueued after a resync records its card once; a timer whose due date moved finds nothing to do.
 */
export function startTimerWorker(options: {
  queue: JobQueue;
  handle: (command: CaseCommand) => Promise<unknown>;
  onRefused?: (error: DomainError, payload: TimerPayload) => void;
  /** Longest pause between tries while the case store is unreachable; default 5 s. */
  storeRetryMaxMs?: number;
}): Worker {
  let closing = false;
  const sleeping = new Set<() => void>();
  const maxPause = options.storeRetryMaxMs ?? 5000;
  // A timer firing during a store outage waits for the store instead of spending its attempts: the deadline is then
  // recorded as soon as the store is back, not at the reconciler's next pass.
  async function handleWhileStoreDown(command: CaseCommand): Promise<void> {
    let pause = Math.min(250, maxPause);
    for (;;) {
      try {
        await options.handle(command);
        return;
      } catch (error) {
        if (closing || !isDependencyUnavailable(error)) throw error;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            sleeping.delete(done);
            resolve();
          };
          const timer = setTimeout(done, pause);
          sleeping.add(done);
        });
        pause = Math.min(pause * 2, maxPause);
      }
    }
  }
  const worker = options.queue.process<TimerPayload>(
    TIMER_QUEUE,
    async (job) => {
      const { caseId, command, limit, dueOn } = job.payload;
      // The platform itself accepts 秒批 applications; every other timer acts as the timer.
      const base = { commandId: job.id, caseId, actor: { kind: 'system' as const, id: command === 'AcceptOnSubmission' ? 'platform' : 'timer' } };
      const full = (command === 'RaiseDeadlineWarning' || command === 'MarkOverdue'
        ? { ...base, type: command, limit: limit ?? 'promised', dueOn: dueOn ?? '' }
        : command === 'RemindFollowUp'
          ? { ...base, type: command, materialId: job.payload.materialId ?? '', dueOn: dueOn ?? '', level: job.payload.level ?? 'yellow' }
          : command === 'MarkComplaintOverdue'
            ? { ...base, type: command, dueOn: dueOn ?? '' }
            : command === 'RecordReconsiderationOutcome'
              ? { ...base, type: command, appealCaseId: job.payload.appealCaseId ?? '', outcome: job.payload.outcome ?? 'denied', decidedOn: dueOn ?? '' }
              : { ...base, type: command }) as CaseCommand;
      try {
        await handleWhileStoreDown(full);
      } catch (error) {
        // A refusal will not change on retry (the case moved on); only infrastructure errors are retried.
        if (error instanceof DomainError) options.onRefused?.(error, job.payload);
        else throw error;
      }
    },
    { concurrency: 4 },
  );
  return {
    async close() {
      closing = true;
      for (const wake of [...sleeping]) wake();
      await worker.close();
    },
  };
}
