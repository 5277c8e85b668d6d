import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import type { TimerPayload } from '../../workflows/index.ts';
import type { JobQueue, Worker } from '../queue/port.ts';
import { TIMER_QUEUE } from './case-jobs-reactor.ts';

/**
 * Fires due timers as system commands. The job id is the command id, so a timer delivered twice (at-least-once) or
 * re-enqueued after a resync records its card once; a timer whose due date moved finds nothing to do.
 */
export function startTimerWorker(options: {
  queue: JobQueue;
  handle: (command: CaseCommand) => Promise<unknown>;
  onRefused?: (error: DomainError, payload: TimerPayload) => void;
}): Worker {
  return options.queue.process<TimerPayload>(
    TIMER_QUEUE,
    async (job) => {
      const { caseId, command, limit, dueOn } = job.payload;
      // The platform itself accepts 秒批 applications; every other timer acts as the timer.
      const base = { commandId: job.id, caseId, actor: { kind: 'system' as const, id: command === 'AcceptOnSubmission' ? 'platform' : 'timer' } };
      const full = (command === 'RaiseDeadlineWarning' || command === 'MarkOverdue'
        ? { ...base, type: command, limit: limit ?? 'promised', dueOn: dueOn ?? '' }
        : command === 'RemindFollowUp'
          ? { ...base, type: command, materialId: job.payload.materialId ?? '', dueOn: dueOn ?? '', level: job.payload.level ?? 'yellow' }
          : { ...base, type: command }) as CaseCommand;
      try {
        await options.handle(full);
      } catch (error) {
        // A refusal will not change on retry (the case moved on); only infrastructure errors are retried.
        if (error instanceof DomainError) options.onRefused?.(error, job.payload);
        else throw error;
      }
    },
    { concurrency: 4 },
  );
}
