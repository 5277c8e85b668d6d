import type { Calendar } from '../../domain/calendar/index.ts';
import { DomainError } from '../../domain/case/errors.ts';
import { caseIdOfStream } from '../../domain/case/events.ts';
import { START, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { appealJobs, desiredJobs, paymentJobs, type CaseState, type DesiredJob, type EvidencePayload } from '../../workflows/index.ts';
import type { EventStore, Subscription } from '../../domain/ports/event-store.ts';
import type { JobQueue } from '../../domain/ports/queue.ts';
import type { FindQuery, ReadStore } from '../../domain/ports/read-store.ts';

export const TIMER_QUEUE = 'timers';
/** Work at the payment provider (closing a revoked approval's orders); payment-worker.ts consumes it. */
export const PAYMENT_QUEUE = 'payments';
/** Its checkpoint, its lease and its fencing token go by this name. */
export const CASE_JOBS_REACTOR = 'case-jobs';
const REACTOR = CASE_JOBS_REACTOR;
export const OPEN_CASES = 'reactor_open_cases';
const RESYNC_PAGE = 500;

export interface CaseJobsReactorOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  queue: JobQueue;
  clock: Clock;
  timeZone: string;
  calendar(region: string): Calendar;
  /**
   * The case as stored, at revision `atLeast` or later: a fold this process already holds that far need not be read
   * again (later events come in a later batch and are scheduled then).
   */
  loadCase(caseId: string, atLeast?: bigint): Promise<CaseState>;
  /**
   * Enqueues an evidence job (per provider department, with the evidence worker's attempts and backoff);
   * `replaceFinished` as in AddOptions.
   */
  enqueueEvidence(payload: EvidencePayload, jobId: string, replaceFinished: boolean): Promise<void>;
  /**
   * Looks at each case it schedules, on every event and on every resync, against the calendars loaded, and
   * recomputes its limits when they would move (calendar-refresh.ts). A failure is reported to onError and does not
   * hold up the case's jobs: the next event or resync looks again.
   */
  recheckLimits?: (state: CaseState) => Promise<unknown>;
  onError?: (error: unknown) => void;
  batchSize?: number;
  /** Cases of one batch scheduled at once; default 16. */
  concurrency?: number;
  /** Job ids remembered as enqueued by this reactor (oldest forgotten first); default 100,000. */
  rememberJobs?: number;
}

/**
 * Turns case state into durable work. It follows the event store from its own checkpoint, so a crash between an
 * append and an enqueue loses nothing: the batch is handled again and the job ids make the second enqueue a no-op.
 * The set of open cases is kept beside the checkpoint so `resync()` can rebuild every job after Redis lost them.
 */
export function createCaseJobsReactor(options: CaseJobsReactorOptions) {
  let subscription: Subscription | null = null;
  let token: number | null = null;
  const concurrency = options.concurrency ?? 16;
  const capacity = options.rememberJobs ?? 100_000;
  // Ids this reactor already handed to the queue. Every event of a case derives the case's whole job set again (its
  // deadline timers, its evidence fetches), and re-adding each costs Redis round trips; following the log, only new
  // ids are added. resync() (the reconciler's passes: at start, after Redis lost its contents, every few minutes)
  // adds every id regardless, and that is what re-creates a job that finished without taking effect.
  const enqueued = new Set<string>();
  function remember(jobId: string): void {
    enqueued.add(jobId);
    if (enqueued.size > capacity) enqueued.delete(enqueued.values().next().value as string);
  }

  /**
   * replaceFinished (resync only): desiredJobs names only jobs whose effect is not yet recorded, so a finished job
   * under such an id did not take effect (its command failed while the store was down) and must run again. Checking
   * costs a round trip per job; following the log, ids are new (a case's evidence is requested once, a moved due
   * date makes a new timer id), so only the reconciler's passes pay it, and they are what re-creates such a job.
   */
  async function enqueue(job: DesiredJob, replaceFinished: boolean): Promise<void> {
    if (job.kind === 'timer') {
      const delayMs = Math.max(0, job.runAt.getTime() - options.clock.now().getTime());
      await options.queue.add(TIMER_QUEUE, job.payload.command, job.payload, { jobId: job.jobId, delayMs, attempts: 5, backoffMs: 1000, ...(replaceFinished && { replaceFinished: true }) });
    } else if (job.kind === 'payment') {
      await options.queue.add(PAYMENT_QUEUE, job.payload.command, job.payload, { jobId: job.jobId, attempts: 5, backoffMs: 1000, ...(replaceFinished && { replaceFinished: true }) });
    } else {
      await options.enqueueEvidence(job.payload, job.jobId, replaceFinished);
    }
  }

  async function scheduleFor(caseId: string, live: { atLeast: bigint } | null): Promise<boolean> {
    let state: CaseState;
    try {
      state = await options.loadCase(caseId, live?.atLeast);
    } catch (error) {
      // A case that cannot be folded (its service version is gone) must not stall every other case's deadlines.
      if (error instanceof DomainError) {
        options.onError?.(error);
        return false;
      }
      throw error;
    }
    const desired = desiredJobs(state, options.calendar(state.definition.limits.calendar), options.timeZone);
    const delivered = await deliveredOutcomes(desired);
    const jobs = desired.filter((job) => !delivered.has(job.jobId) && (!live || !enqueued.has(job.jobId)));
    // A case's jobs are independent of one another: added together, not one round trip after another.
    await Promise.all(
      jobs.map(async (job) => {
        await enqueue(job, live === null);
        remember(job.jobId);
      }),
    );
    await options.recheckLimits?.(state).catch((error: unknown) => options.onError?.(error));
    // A closed case still owing appeal or complaint work (see appealJobs), or a revoked one whose payment orders are
    // not closed yet (see paymentJobs), stays in the resync set until it is done.
    const owedAfterClosing = [...appealJobs(state, options.timeZone), ...paymentJobs(state)];
    return (state.context.closedOn === null && state.status !== 'withdrawn') || owedAfterClosing.some((job) => !delivered.has(job.jobId));
  }

  /**
   * The ids of the jobs, among `jobs`, that carry a reconsideration's outcome the original case has already recorded
   * (or can no longer record: it awaits no reconsideration from this case). The reconsideration case's own log cannot
   * tell; without this look at the original, every decided reconsideration would stay in the resync set for good and
   * have its job run again, as a replay, on every pass.
   */
  async function deliveredOutcomes(jobs: DesiredJob[]): Promise<Set<string>> {
    const delivered = new Set<string>();
    for (const job of jobs) {
      if (job.kind !== 'timer' || job.payload.command !== 'RecordReconsiderationOutcome') continue;
      let original: CaseState;
      try {
        original = await options.loadCase(job.payload.caseId);
      } catch (error) {
        // An original that cannot be folded keeps the job: recording the outcome is what lifts its legal hold.
        if (error instanceof DomainError) continue;
        throw error;
      }
      const pending = original.context.reconsideration;
      if (!pending || pending.appealCaseId !== job.payload.appealCaseId || pending.outcome !== null) delivered.add(job.jobId);
    }
    return delivered;
  }

  async function handleBatch(batch: RecordedEvent[]): Promise<void> {
    // Each case once per batch, at the newest revision the batch holds for it.
    const cases = new Map<string, bigint>();
    for (const event of batch) {
      const caseId = caseIdOfStream(event.streamId);
      if (caseId) cases.set(caseId, event.revision > (cases.get(caseId) ?? -1n) ? event.revision : cases.get(caseId)!);
      // The original case recorded a reconsideration's outcome: the reconsideration case owes nothing more, and is
      // looked at again now so it leaves the open-case set (its own log has nothing new to say so).
      const appealCaseId = event.type === 'ReconsiderationDecided' ? event.data.appealCaseId : undefined;
      if (typeof appealCaseId === 'string' && !cases.has(appealCaseId)) cases.set(appealCaseId, 0n);
    }
    // Cases are independent too: a batch is scheduled by `concurrency` workers, not case after case. The checkpoint
    // is written only once every case of the batch is scheduled, so a crash midway repeats the batch (no-op adds).
    const entries = [...cases];
    const open: Array<{ id: string; doc: Record<string, unknown> }> = new Array(entries.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, entries.length) }, async () => {
        while (next < entries.length) {
          const index = next++;
          const [caseId, atLeast] = entries[index]!;
          open[index] = { id: caseId, doc: { caseId, open: await scheduleFor(caseId, { atLeast }) } };
        }
      }),
    );
    const last = batch.at(-1);
    await options.readStore.transaction(async (tx) => {
      if (token !== null) await tx.fence(REACTOR, token);
      if (open.length) await tx.putMany(OPEN_CASES, open);
      if (last) await tx.setCheckpoint(REACTOR, last.checkpoint);
    });
  }

  return {
    /** With a lease's fencing token, its writes are refused once a newer holder started (raised first, then read). */
    async start(fence?: number): Promise<void> {
      token = fence ?? null;
      if (token !== null) await options.readStore.raiseFence(REACTOR, token);
      const from: Checkpoint = (await options.readStore.getCheckpoint(REACTOR)) ?? START;
      subscription = options.eventStore.subscribe(from, handleBatch, {
        batchSize: options.batchSize ?? 200,
        idleMs: 100,
        onError: options.onError,
        // The log went back in time under it: what it derives from each event is idempotent (job ids, the open-case
        // set), so it reads the log again from the start rather than skip what now stands at the lost positions.
        onRewound: async () => {
          await options.readStore.transaction(async (tx) => {
            if (token !== null) await tx.fence(REACTOR, token);
            await tx.setCheckpoint(REACTOR, START);
          });
          return START;
        },
      });
    },
    async stop(): Promise<void> {
      await subscription?.stop();
      subscription = null;
    },
    /**
     * Re-enqueues the jobs of every open case: after a restart on an in-memory queue, a flushed Redis, or as the
     * reconciler's periodic pass. Pages by case id (keyset), not by offset: cases closing while it runs leave the
     * `open` filter and would shift every later offset, skipping cases that are still open.
     */
    async resync(): Promise<number> {
      let after: string | null = null;
      let count = 0;
      for (;;) {
        const where: FindQuery['where'] = after === null ? { open: true } : { open: true, caseId: { gt: after } };
        const page = await options.readStore.find(OPEN_CASES, { where, orderBy: [{ field: 'caseId', direction: 'asc' }], limit: RESYNC_PAGE });
        for (const doc of page.items) {
          await scheduleFor(String(doc.caseId), null);
          count++;
        }
        if (page.items.length < RESYNC_PAGE) return count;
        after = String(page.items[page.items.length - 1]!.caseId);
      }
    },
    get checkpoint(): Checkpoint | null {
      return subscription?.checkpoint ?? null;
    },
  };
}

export type CaseJobsReactor = ReturnType<typeof createCaseJobsReactor>;
