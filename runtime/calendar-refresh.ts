import type { Logger } from 'pino';
import type { CaseCommand } from '../domain/case/commands.ts';
import type { CalendarDirectory } from '../adapters/files/index.ts';
import type { FindQuery, ReadStore } from '../domain/ports/read-store.ts';
import { OPEN_CASES } from '../adapters/reactors/case-jobs-reactor.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { decide, type CaseState, type DecideEnvironment } from '../workflows/index.ts';

const ACTOR = { kind: 'system' as const, id: 'calendar' };
/**
 * Raised whenever the rules that compute time limits change (2: every running limit, not only the decision's, and the
 * fallback calendar's days in lieu; 3: a 容缺 follow-up gets back the days of a suspension it ran through). A case
 * already recomputed for these calendars by a release before would replay its command id and keep the limits the old
 * rules left; a new generation is a new id, so the first pass after the deploy asks every open case once more, and
 * the decider records only what moved.
 */
export const TIME_LIMIT_RULES = 3;
/**
 * The command id of one case's recomputation: the case at the revision it is decided on, the calendars and the rules.
 * Those four fix the outcome, so a pass repeated or run twice (a second worker, a restart) replays or finds nothing
 * to move. The calendars are named by content, and content can come back (A, then B by mistake, then A again): the
 * revision is what tells "A again" from the first A, since a case that moved to B's dates has recorded that since.
 */
export const recalculationId = (caseId: string, revision: bigint, versions: string) => `recalculate-${caseId}@${revision}-${versions}-r${TIME_LIMIT_RULES}`;
const PAGE = 500;

export interface CalendarRefreshOptions {
  directory: CalendarDirectory;
  /** Brings the calendars' source up to date first (the files of CALENDAR_DIR into the catalogue store). */
  beforeRescan?: () => Promise<void>;
  readStore: ReadStore;
  /** The case as stored now: its revision goes into the command id. */
  load(caseId: string): Promise<Pick<CaseState, 'revision'>>;
  handle(command: CaseCommand): Promise<unknown>;
  /** What a command for a case of this definition is decided with now (the calendars loaded, today). */
  environment(definition: ServiceDefinition): DecideEnvironment;
  logger: Logger;
  /** 0: only on demand. */
  rescanMs: number;
}

/**
 * Re-reads the calendar directory; when a region's files changed (a new year's arrangement dropped in), asks every
 * open case to recompute its due dates: the decision's (DeadlinesRecalculated) and every other running time limit,
 * intake, supplement, 容缺 follow-ups and the answer to a low rating (TimeLimitsRecalculated). The decider records
 * only the dates that moved, and the case-jobs reactor then schedules the timers for the new dates; a timer for an
 * old date finds it stale. The command id names the case's revision, the calendar version and the rules
 * (recalculationId), so a repeated rescan, or a second worker, records nothing twice.
 *
 * The new calendars are in use from the moment they are read, so a pass is owed until every open case got through
 * it: a case whose command failed (the store unreachable a moment) is asked again at the next rescan, and a pass
 * that could not list the open cases runs again whole, whether or not anything changed since.
 *
 * A pass sees only what was written before it. Another process may set a limit after it, with calendars it has not
 * re-read yet (up to its CALENDAR_RESCAN_MS), and a case the open-case list did not hold yet is not asked at all.
 * So the worker also looks at each case the case-jobs reactor schedules, on every event and on every reconciler pass
 * (recheck): when the calendars loaded would move one of its limits, the case is recomputed.
 */
export function createCalendarRefresh(options: CalendarRefreshOptions) {
  let timer: NodeJS.Timeout | undefined;
  // Every process re-reads the files (its commands use them); only a worker asks open cases to recompute.
  let recalculate = false;
  let running: Promise<number> = Promise.resolve(0);
  /** What the calendars in use still owe: every open case, the cases whose command failed, or nothing. */
  let owed: 'all' | Set<string> | null = null;
  /** Counts the changes read, so a pass knows whether the calendars changed under it. */
  let changes = 0;
  let stopped = false;

  // Paged by key, not by offset: cases close while the pass runs, and each closing before an offset would shift an
  // open case into a page already read, leaving it on the old calendar's dates.
  const openCases = async function* () {
    for (let after: string | null = null; ; ) {
      const where: FindQuery['where'] = after === null ? { open: true } : { open: true, caseId: { gt: after } };
      const page = await options.readStore.find(OPEN_CASES, { where, orderBy: [{ field: 'caseId', direction: 'asc' }], limit: PAGE });
      for (const doc of page.items) yield String(doc.caseId);
      if (page.items.length < PAGE) return;
      after = String(page.items[page.items.length - 1]!.caseId);
    }
  };

  const recalculateCase = (caseId: string, revision: bigint) => {
    // Read per case: a recheck may read new calendars while a pass runs, and the event names those it was decided on.
    const versions = options.directory.versions();
    return options.handle({ type: 'RecalculateDeadlines', commandId: recalculationId(caseId, revision, versions), caseId, actor: ACTOR, calendarVersion: versions });
  };

  /** Whether the calendars loaded would move a running limit of the case: RecalculateDeadlines decided, not recorded. */
  const moves = (state: CaseState): boolean => {
    const probe: CaseCommand = { type: 'RecalculateDeadlines', commandId: 'probe', caseId: state.context.caseId, actor: ACTOR, calendarVersion: 'probe' };
    return decide(probe, state, options.environment(state.definition)).events.length > 0;
  };

  /** Asks each case; those whose command failed are left in `failed`. */
  const recalculateCases = async (cases: AsyncIterable<string> | Iterable<string>, failed: Set<string>): Promise<number> => {
    let asked = 0;
    for await (const caseId of cases) {
      try {
        await recalculateCase(caseId, (await options.load(caseId)).revision);
        asked += 1;
      } catch (error) {
        failed.add(caseId);
        options.logger.warn({ caseId, err: error instanceof Error ? error.message : String(error) }, 'due dates not recomputed; asked again at the next rescan');
      }
    }
    return asked;
  };

  /** Runs what is owed, if anything; `owed` is cleared only by a pass every case got through. */
  const pass = async (): Promise<number> => {
    if (!recalculate || owed === null) return 0;
    const seen = changes;
    const failed = new Set<string>();
    let asked: number;
    try {
      asked = await recalculateCases(owed === 'all' ? openCases() : [...owed], failed);
    } catch (error) {
      // The open cases could not be listed: the calendars just read are in use all the same, so the whole pass is
      // still owed (a case asked already finds nothing left to move).
      options.logger.error({ versions: options.directory.versions(), err: error instanceof Error ? error.message : String(error) }, 'recomputing open cases’ due dates failed; the calendars read are in use, and the pass runs again at the next rescan');
      throw error;
    }
    // Calendars read while it ran (a recheck's read) owe a whole pass of their own.
    if (changes === seen) owed = failed.size === 0 ? null : failed;
    return asked;
  };

  /** Brings the calendars up to date with their source; a change makes a whole pass owed. */
  const read = async (): Promise<void> => {
    await options.beforeRescan?.();
    if (options.directory.rescan().length > 0) {
      changes += 1;
      owed = 'all';
      if (recalculate) options.logger.info({ versions: options.directory.versions() }, 'calendar files changed; recomputing open cases’ due dates');
    }
  };
  let reading: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  /**
   * A read that starts after this call: what was published before it is then in use. Callers arriving while one
   * runs share the single read queued behind it, so a burst of rechecks costs two reads, not one each.
   */
  const readAfterNow = (): Promise<void> => {
    if (!reading) {
      reading = read().finally(() => (reading = null));
      return reading;
    }
    queued ??= reading.catch(() => undefined).then(() => {
      queued = null;
      return readAfterNow();
    });
    return queued;
  };

  const rescanOnce = async (): Promise<number> => {
    try {
      await readAfterNow();
    } catch (error) {
      // A broken new file must not take the engine down: the calendars in use stay, and the file is named.
      options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'calendar rescan failed; keeping the calendars in use');
      throw error;
    }
    return pass();
  };

  return {
    /**
     * Resolves with the number of open cases asked to recompute: 0 when nothing changed and no earlier pass owes
     * anything. Rejects when the calendars could not be read (those in use stay) or the open cases could not be
     * listed (the new calendars are in use; the pass runs at the next rescan). One scan at a time.
     */
    rescan(): Promise<number> {
      running = running.then(rescanOnce, rescanOnce);
      return running;
    },
    /**
     * From now on a change also recomputes open cases (the worker role). Starts with one pass over them under the
     * calendars loaded at start, for files added while no worker ran; a case already recomputed for these versions,
     * with nothing recorded since, replays its command id and records nothing.
     */
    recalculateOnChange(): Promise<number> {
      recalculate = true;
      const first = () => {
        owed = 'all';
        return pass();
      };
      running = running.then(first, first);
      return running;
    },
    /**
     * The case-jobs reactor's look at a case it schedules (the worker role): recomputes it when the calendars loaded
     * would move one of its limits, a limit set after the pass by a process on calendars since replaced, or a case
     * the pass did not list. Resolves with whether it asked the case.
     */
    async recheck(state: CaseState): Promise<boolean> {
      if (!recalculate || stopped || !moves(state)) return false;
      // The dates may instead come from calendars published since and read by the process that set them, but not by
      // this one yet: recomputed with these, the case would be moved back, then forth again by the pass. So read the
      // calendars first, and let any change found run its pass.
      const before = changes;
      await readAfterNow();
      if (changes !== before) {
        const owedPass = () => pass().catch(() => 0);
        running = running.then(owedPass, owedPass);
      }
      if (!moves(state)) return false;
      await recalculateCase(state.context.caseId, state.revision);
      return true;
    },
    start(): void {
      if (options.rescanMs <= 0 || timer) return;
      // Failures are logged where they happen, each saying what is in use and what runs again.
      timer = setInterval(() => void this.rescan().catch(() => undefined), options.rescanMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      // The reactor stops after this: a recheck meanwhile must not start a pass on stores about to close.
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running.catch(() => undefined);
    },
  };
}

export type CalendarRefresh = ReturnType<typeof createCalendarRefresh>;
