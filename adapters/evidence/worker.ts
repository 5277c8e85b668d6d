/**
 * The evidence job processor: fetches each material the workflow asked for through the provider router and turns
 * the answer into exactly one case command. Delivery is at least once; the outcome command id (`<jobId>-r`) makes
 * the case record the first outcome and ignore every repeat, so redelivery and crashes are harmless.
 *
 * Outcomes: found -> RecordEvidence; no match / not yet available -> RecordEvidenceUnavailable with that reason;
 * provider unavailable -> thrown, retried with exponential backoff, and on the last attempt recorded as
 * 'provider_down'; refused -> recorded as 'refused' and failed permanently. onFailed records again as a safety net
 * (a repeat is a no-op), for jobs that ended without the handler recording anything.
 */
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import { localDate } from '../../domain/calendar/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { silentLogger, type EvidenceLogger } from './logger.ts';
import { PermanentJobError, isPermanentJobError, type Job, type JobQueue, type Worker } from '../../domain/ports/queue.ts';
import { EVIDENCE_JOB_NAME, EVIDENCE_QUEUE, evidenceJobId, evidenceQueueFor, parseEvidenceJob, type EvidenceJob } from './jobs/evidence-job.ts';
import { gather, type SecondarySource } from './jobs/gather.ts';
import { recordEvidence, recordUnavailable, type UnavailableReason } from './jobs/outcome-commands.ts';
import { EvidenceRefusedError, type EvidenceProvider } from '../../domain/ports/evidence.ts';
import { isDependencyUnavailable } from '../dependency-unavailable.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';

export interface DepartmentLimit {
  /** Jobs this worker runs at once for the department. */
  concurrency: number;
  /** At most `max` calls per `durationMs` to the department, across all workers. */
  max: number;
  durationMs: number;
}

export type EvidenceOutcome = 'found' | UnavailableReason | 'skipped' | 'retry';

export interface EvidenceWorkerOptions {
  queue: JobQueue;
  router: EvidenceProvider;
  catalogue: DataCatalogue;
  handle: (command: CaseCommand) => Promise<unknown>;
  clock: Clock;
  /** Per provider call. */
  timeoutMs: number;
  /** Total tries per job, including the first (used by enqueue, and to know the last attempt). */
  attempts: number;
  /** Exponential backoff base between tries. */
  backoffMs: number;
  departmentLimits?: Record<string, DepartmentLimit>;
  /** Concurrency of departments without limits, and of the shared 'evidence' queue; default 10. */
  concurrency?: number;
  secondarySource?: SecondarySource;
  /** False when the case no longer wants the material (withdrawn, already settled): the fetch is skipped. */
  wanted?: (caseId: string, materialId: string) => Promise<boolean>;
  /** The applicant of a case, for jobs enqueued with subjectFromCase (no ID number in the queue payload). */
  resolveSubject?: (caseId: string) => Promise<EvidenceJob['subject']>;
  /**
   * Departments whose queues this worker serves; by default every department of the data catalogue, including
   * those published into it later (looked for every `departmentRefreshMs`, default 10 s).
   */
  departments?: string[];
  departmentRefreshMs?: number;
  /**
   * Whether a department published while the worker runs may be served yet: its evidence must go the way it would
   * after a restart (its embedded gateway started; EvidenceProviders.ready). Until then its jobs wait in its queue.
   */
  departmentReady?: (department: string) => boolean | Promise<boolean>;
  /** Also serve the shared 'evidence' queue; default true. */
  serveSharedQueue?: boolean;
  /** Time zone of "today" for expiry checks; default Asia/Shanghai. */
  timeZone?: string;
  logger?: EvidenceLogger;
  /**
   * While the case store is unreachable a job waits (pausing up to this long between tries) instead of spending
   * its attempts; the job's lock is kept meanwhile, so an outage of any length costs no attempt. Default 5 s.
   */
  storeRetryMaxMs?: number;
  /** Called once per processed attempt, e.g. for metrics. Never given personal data. */
  onOutcome?: (event: { jobId: string; department: string; dataItem: string; outcome: EvidenceOutcome; attempt: number }) => void;
}

export interface EvidenceWorker {
  /** Adds the job to its department's queue with this worker's attempts and backoff; returns the job id. */
  enqueue(job: EvidenceJob): Promise<string>;
  /** Queue names this worker serves. */
  readonly queues: string[];
  close(): Promise<void>;
}

/**
 * Adds an evidence job to its department's queue ('evidence-<DEPT>'; the shared 'evidence' queue for a provider
 * the catalogue does not know). For a reactor that has no worker at hand; use the same attempts and backoff as
 * the worker, which records 'provider_down' on the last attempt.
 */
/** The subject placeholder of a job whose subject is the case's applicant, read when the job runs. */
export const SUBJECT_FROM_CASE = '@case';

export async function enqueueEvidenceJob(
  queue: JobQueue,
  job: EvidenceJob,
  options: { attempts: number; backoffMs: number; departments?: ReadonlySet<string>; replaceFinished?: boolean; subjectFromCase?: boolean },
): Promise<string> {
  const jobId = evidenceJobId(job.caseId, job.materialId);
  // Queue payloads sit in Redis: with subjectFromCase they name the case, not the subject's ID number, and the
  // worker reads the applicant from the case (resolveSubject) when it runs the job.
  if (options.subjectFromCase) job = { ...job, subject: { type: job.subject.type, id: SUBJECT_FROM_CASE } };
  const departmental = /^[A-Z][A-Z0-9_]{0,31}$/.test(job.provider) && (!options.departments || options.departments.has(job.provider));
  await queue.add(departmental ? evidenceQueueFor(job.provider) : EVIDENCE_QUEUE, EVIDENCE_JOB_NAME, job, {
    jobId,
    attempts: options.attempts,
    backoffMs: options.backoffMs,
    ...(options.replaceFinished && { replaceFinished: true }),
  });
  return jobId;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createEvidenceWorker(options: EvidenceWorkerOptions): EvidenceWorker {
  const { queue, router, catalogue, handle, clock, attempts } = options;
  if (!(Number.isInteger(attempts) && attempts >= 1)) throw new RangeError(`attempts must be a whole number >= 1, got ${attempts}`);
  const logger = options.logger ?? silentLogger;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const known = new Set(catalogue.departments().map((d) => d.code));
  // The local date changes once a day; reading it through Intl for every item is measurable at a thousand a second.
  let cached = { minute: Number.NaN, date: '' };
  function today(): string {
    const now = clock.now();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== cached.minute) cached = { minute, date: localDate(now, timeZone) };
    return cached.date;
  }
  const departments = options.departments ?? [...known];

  let closing = false;
  const wakeAll = new Set<() => void>();
  let outageLogged = false;
  const storeRetryMaxMs = options.storeRetryMaxMs ?? 5000;

  /**
   * Runs a case-store step, waiting through an outage of the store rather than failing the attempt: the answer a
   * department already gave is recorded when the store is back, never fetched again, and a job does not use up its
   * attempts (and end as a failure nobody can record) while PostgreSQL restarts. Other errors go to the caller.
   */
  async function whileStoreDown<T>(job: Job, step: () => Promise<T>): Promise<T> {
    let pause = Math.min(250, storeRetryMaxMs);
    for (;;) {
      try {
        const result = await step();
        if (outageLogged) logger.info({ jobId: job.id }, 'case store reachable again; evidence jobs resume');
        outageLogged = false;
        return result;
      } catch (error) {
        if (closing || !isDependencyUnavailable(error)) throw error;
        if (!outageLogged) logger.warn({ jobId: job.id, err: messageOf(error) }, 'case store unreachable; evidence jobs wait for it');
        outageLogged = true;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            wakeAll.delete(done);
            resolve();
          };
          const timer = setTimeout(done, pause);
          wakeAll.add(done);
        });
        pause = Math.min(pause * 2, storeRetryMaxMs);
      }
    }
  }

  /** A case that rejects the command will reject it every time: no retry. The store being down is waited out. */
  async function record(job: Job, command: CaseCommand): Promise<void> {
    try {
      await whileStoreDown(job, () => handle(command));
    } catch (error) {
      if (error instanceof DomainError) throw new PermanentJobError(`case refused ${command.type}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  function report(job: Job, evidence: EvidenceJob | null, outcome: EvidenceOutcome): void {
    const department = evidence?.provider ?? 'unknown';
    const dataItem = evidence?.dataItem ?? 'unknown';
    logger.info({ jobId: job.id, department, dataItem, outcome, attempt: job.attempt }, 'evidence job processed');
    options.onOutcome?.({ jobId: job.id, department, dataItem, outcome, attempt: job.attempt });
  }

  async function processJob(job: Job<unknown>): Promise<void> {
    let evidence = parseEvidenceJob(job.payload);
    if (evidence.subject.id === SUBJECT_FROM_CASE) {
      const resolve = options.resolveSubject;
      if (!resolve) throw new PermanentJobError('evidence job names its subject by case, and this worker cannot read cases');
      const subject = await whileStoreDown(job, () => resolve(evidence.caseId));
      evidence = { ...evidence, subject };
    }
    if (evidence.subject.id === ERASED) {
      // The case's keys were destroyed while it was still open: no department is asked about "[erased]".
      await record(job, recordUnavailable(job.id, evidence, 'refused', 'the personal data of the case was erased, so no department is asked about its subject'));
      report(job, evidence, 'refused');
      throw new PermanentJobError('the subject of the evidence job reads erased');
    }
    // Checked against the case stream before any department is asked: an answer already recorded is never fetched again.
    const wanted = options.wanted;
    if (wanted && !(await whileStoreDown(job, () => wanted(evidence.caseId, evidence.materialId)))) {
      report(job, evidence, 'skipped');
      return;
    }
    const item = catalogue.get(evidence.dataItem);
    if (!item) {
      await record(job, recordUnavailable(job.id, evidence, 'refused', `data item "${evidence.dataItem}" is not in the data catalogue`));
      report(job, evidence, 'refused');
      throw new PermanentJobError(`unknown data item ${evidence.dataItem}`);
    }
    let outcome;
    try {
      outcome = await gather(evidence, router, { item, today: today(), timeoutMs: options.timeoutMs, secondary: options.secondarySource });
    } catch (error) {
      if (error instanceof EvidenceRefusedError) {
        await record(job, recordUnavailable(job.id, evidence, 'refused', error.message));
        report(job, evidence, 'refused');
        throw new PermanentJobError(error.message, { cause: error });
      }
      if (job.attempt >= attempts) {
        await record(job, recordUnavailable(job.id, evidence, 'provider_down', `${evidence.provider} unavailable after ${job.attempt} attempt(s): ${messageOf(error)}`));
        report(job, evidence, 'provider_down');
      } else {
        report(job, evidence, 'retry');
      }
      throw error;
    }
    if (outcome.kind === 'found') {
      await record(job, recordEvidence(job.id, evidence, outcome.found));
      report(job, evidence, 'found');
    } else {
      await record(job, recordUnavailable(job.id, evidence, outcome.reason, outcome.detail));
      report(job, evidence, outcome.reason);
    }
  }

  /** Safety net: whatever ended the job, the case hears of it (a repeat of an outcome already recorded is a no-op). */
  async function onFailed(job: Job, error: unknown): Promise<void> {
    let evidence: EvidenceJob;
    try {
      evidence = parseEvidenceJob(job.payload);
    } catch {
      logger.error({ jobId: job.id }, 'evidence job with an unreadable payload failed; nothing to record');
      return;
    }
    const cause = isPermanentJobError(error) ? (error as Error).cause : error;
    const refused = cause instanceof EvidenceRefusedError || (cause as { code?: string } | undefined)?.code === 'EVIDENCE_REFUSED';
    if (cause instanceof DomainError) {
      logger.error({ jobId: job.id, err: messageOf(cause) }, 'case refused the evidence outcome');
      return;
    }
    try {
      await whileStoreDown(job, () => handle(recordUnavailable(job.id, evidence, refused ? 'refused' : 'provider_down', messageOf(cause))));
    } catch (recordError) {
      logger.error({ jobId: job.id, err: messageOf(recordError) }, 'could not record the failed evidence job');
    }
  }

  const queues: string[] = [];
  const workers: Worker[] = [];
  if (options.serveSharedQueue ?? true) {
    queues.push(EVIDENCE_QUEUE);
    workers.push(queue.process(EVIDENCE_QUEUE, processJob, { concurrency: options.concurrency ?? 10, onFailed }));
  }
  const served = new Set<string>();
  function serve(department: string): void {
    if (served.has(department) || closing) return;
    served.add(department);
    const limit = options.departmentLimits?.[department];
    const name = evidenceQueueFor(department);
    queues.push(name);
    workers.push(
      queue.process(name, processJob, {
        concurrency: limit?.concurrency ?? options.concurrency ?? 10,
        ...(limit && { limiter: { max: limit.max, durationMs: limit.durationMs } }),
        onFailed,
      }),
    );
  }
  for (const department of departments) serve(department);
  // A department published into the data catalogue while this worker runs gets jobs on its own queue at once (the
  // engine enqueues by the item's provider): served from the next look, not from the next restart. A worker given
  // its departments serves those only.
  let looking = false;
  async function lookForDepartments(): Promise<void> {
    if (looking) return;
    looking = true;
    try {
      for (const { code } of catalogue.departments()) {
        if (served.has(code) || !/^[A-Z][A-Z0-9_]{0,31}$/.test(code)) continue;
        if (options.departmentReady && !(await options.departmentReady(code))) continue;
        serve(code);
        logger.info({ department: code }, 'serving the evidence queue of a department published since the start');
      }
    } catch (error) {
      logger.warn({ err: messageOf(error) }, 'could not look for new departments in the data catalogue; looking again later');
    } finally {
      looking = false;
    }
  }
  const follow = options.departments === undefined ? setInterval(() => void lookForDepartments(), options.departmentRefreshMs ?? 10_000) : null;
  follow?.unref();

  return {
    queues,
    // A department of the catalogue as it is now gets its own queue (and its limits); anything else the shared one.
    enqueue: (job: EvidenceJob) =>
      enqueueEvidenceJob(queue, job, { attempts, backoffMs: options.backoffMs, departments: new Set(catalogue.departments().map((d) => d.code)), subjectFromCase: options.resolveSubject !== undefined }),
    async close() {
      // Jobs waiting for the store give up their attempt (they are redelivered or re-derived later) so close ends.
      closing = true;
      if (follow) clearInterval(follow);
      for (const wake of [...wakeAll]) wake();
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
