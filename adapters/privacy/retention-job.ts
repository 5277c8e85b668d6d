import type { Logger } from 'pino';
import { caseStream } from '../../domain/case/events.ts';
import type { RetentionSchedule } from '../../domain/catalogue/index.ts';
import { addDays, caseRecordFacts, retentionDue } from '../../domain/privacy/retention.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { startOfLocalDay } from '../../domain/time/zoned.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { JobQueue, Worker } from '../../domain/ports/queue.ts';
import { createScheduler } from '../queue/index.ts';
import type { Shredder } from './shredder.ts';

export const RETENTION_QUEUE = 'retention';
/** The local hour the daily pass runs at (quiet hours). */
const RUN_AT_HOUR = 2;
const PAGE = 200;

export interface RetentionRun {
  today: string;
  checked: number;
  shredded: Array<{ caseId: string; part: 'case-records' | 'evidence'; rule: string }>;
  held: Array<{ caseId: string; holds: string[] }>;
  /** Cases whose recorded shredding a stopped process had not finished: their keys were destroyed by this pass. */
  finished: string[];
  /** Cases this pass could not settle (logged; the next pass tries them again). */
  failed: string[];
}

export interface RetentionDeps {
  queue: JobQueue;
  clock: Clock;
  timeZone: string;
  eventStore: EventStore;
  /** Closed cases, page by page (the case view's `open: false` documents). */
  closedCases(offset: number, limit: number): Promise<string[]>;
  schedule(serviceId: string, version: number): RetentionSchedule | undefined;
  shredder: Shredder;
  logger: Logger;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * One retention pass: every closed case is checked against its service version's schedule; what has expired is
 * shredded (fetched evidence first, when the case no longer needs it; the case records after their period), each
 * recorded as a SubjectKeysShredded naming the rule. A legal hold blocks it. Running twice shreds nothing twice. A
 * shredding on record whose keys are still live (its process stopped after the record) is finished.
 */
export async function runRetention(deps: RetentionDeps, today = localDate(deps.clock.now(), deps.timeZone)): Promise<RetentionRun> {
  const run: RetentionRun = { today, checked: 0, shredded: [], held: [], finished: [], failed: [] };
  // First the rebuilds an earlier shredding owes (its process stopped before asking): read models hold its clear values.
  await deps.shredder.rebuilds.resume();
  for (let offset = 0; ; offset += PAGE) {
    const ids = await deps.closedCases(offset, PAGE);
    for (const caseId of ids) {
      run.checked += 1;
      try {
        await retainCase(deps, caseId, today, run);
      } catch (error) {
        // One case that cannot be read or shredded today (a corrupt row, a key store refusing) must not stop the
        // cases after it, today and every day after: it is named and tried again by the next pass.
        run.failed.push(caseId);
        deps.logger.error({ caseId, err: error instanceof Error ? error.message : String(error) }, 'retention could not settle a case; the next pass tries again');
      }
    }
    if (ids.length < PAGE) break;
  }
  // Counts only: case ids and rules are not personal, but a log line per case says nothing a query could not.
  deps.logger.info({ today, checked: run.checked, shredded: run.shredded.length, held: run.held.length, finished: run.finished.length, failed: run.failed.length }, 'retention pass');
  return run;
}

async function retainCase(deps: RetentionDeps, caseId: string, today: string, run: RetentionRun): Promise<void> {
  const events = await deps.eventStore.readStream(caseStream(caseId));
  const facts = caseRecordFacts(events);
  // Before the hold: a shredding on record came before any hold that follows it in the log.
  if (facts.shreddedScopes.length > 0 && (await deps.shredder.finishCase(caseId, events)).length > 0) run.finished.push(caseId);
  if (facts.serviceId === null || facts.serviceVersion === null || facts.closedOn === null) return;
  const schedule = deps.schedule(facts.serviceId, facts.serviceVersion);
  if (facts.holds.length > 0) {
    if (schedule) run.held.push({ caseId, holds: facts.holds });
    return;
  }
  const due = retentionDue(facts, schedule, today, caseStream(caseId)).filter((v) => v.due);
  // When both are due, shredding the case records takes the evidence key too.
  const part = due.some((v) => v.part === 'case-records') ? due.find((v) => v.part === 'case-records')! : due[0];
  if (!part) return;
  const outcome = await deps.shredder.shredCase(caseId, { reason: 'retention', rule: part.rule }, part.part === 'evidence' ? 'evidence' : 'all');
  if (outcome.status === 'shredded') run.shredded.push({ caseId, part: part.part, rule: part.rule });
  if (outcome.status === 'held') run.held.push({ caseId, holds: outcome.holds });
}

/**
 * The daily pass as a durable timer, like the case deadlines: one timer per local day at 02:00, re-armed at start
 * and after each run, on the queue (BullMQ keeps it across restarts; the in-process queue re-arms it at start).
 */
export function startRetentionJob(deps: RetentionDeps): { worker: Worker; arm(): Promise<void> } {
  const scheduler = createScheduler(deps.queue, deps.clock, { queueName: RETENTION_QUEUE });
  const nextRun = () => {
    const today = localDate(deps.clock.now(), deps.timeZone);
    const todayRun = new Date(startOfLocalDay(today, deps.timeZone).getTime() + RUN_AT_HOUR * 3_600_000);
    const day = todayRun.getTime() > deps.clock.now().getTime() ? today : addDays(today, 1);
    return { id: `retention-${day}`, at: new Date(startOfLocalDay(day, deps.timeZone).getTime() + RUN_AT_HOUR * 3_600_000) };
  };
  const arm = async () => {
    const next = nextRun();
    await scheduler.schedule(next.id, next.at, {});
  };
  const worker = scheduler.onDue(async (timer) => {
    // Tomorrow's pass is armed whatever today's does: a pass that fails every attempt must not end the daily runs.
    await arm();
    await runRetention(deps, localDate(timer.dueAt, deps.timeZone));
  });
  return { worker, arm };
}
