/**
 * Runs a draft service version over the cases of that service, reading only: each case's events are read from the
 * log and handed to the pure dry run (workflows/dry-run.ts); nothing is appended to any case. The totals and the
 * first differing cases are kept beside the draft (catalogue store, kind 'dry-run'), which is what publication
 * checks; the whole per-case list is in the answer.
 */
import type { Calendar } from '../domain/calendar/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { caseStream } from '../domain/case/events.ts';
import type { Clock } from '../domain/time/clock.ts';
import { countCase, dryRunCase, emptyTotals, serviceRefOf, type CaseDryRun, type DryRunTotals } from '../workflows/index.ts';
import type { CatalogueActor } from '../domain/ports/catalogue-store.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import { CatalogueEntryNotFoundError, CatalogueStateError } from '../domain/catalogue/index.ts';
import { definitionHash, type CatalogueAdmin } from './catalogue-admin.ts';
import type { CatalogueRepository } from './catalogue-repository.ts';

/** Case ids of one service drafted since an instant (null: all), in pages; supplied by whoever indexes cases. */
export type CaseFinder = (serviceId: string, since: string | null) => AsyncIterable<string[]>;

export interface DryRunReport {
  serviceId: string;
  version: number;
  definitionHash: string;
  since: string | null;
  ranAt: string;
  by: CatalogueActor;
  totals: DryRunTotals;
  /** Differing cases, at most `listed` of them, in case id order. */
  cases: CaseDryRun[];
  truncated: boolean;
}

const KEPT_WITH_THE_DRAFT = 200;

export function createCatalogueDryRun(deps: {
  eventStore: EventStore;
  repository: CatalogueRepository;
  admin: CatalogueAdmin;
  calendar(region: string): Calendar;
  clock: Clock;
  findCases: CaseFinder;
  concurrency?: number;
}) {
  const { eventStore, repository, admin, clock } = deps;
  const env = { calendar: deps.calendar, dataItem: (id: string) => repository.dataCatalogue.get(id) };
  return {
    /** `months`: only cases drafted in the last so many months; absent: every case of the service. */
    async run(options: {
      serviceId: string;
      version: number;
      months?: number;
      listed?: number;
      actor: CatalogueActor;
      commandId: string;
      /**
       * Called with the cases the report lists, before it is returned: what the draft's rule made of a case's
       * evidence is told about that applicant, a use of their data to record. A rule written to ask one question
       * of one person's evidence would otherwise be an unlogged way to read it.
       */
      recordShown?: (shown: Array<{ caseId: string; applicant: { type: 'person' | 'enterprise'; id: string } }>) => Promise<void>;
    }): Promise<DryRunReport> {
      const entry = await admin.entry('service', options.serviceId, options.version);
      if (entry.status === 'published') throw new CatalogueStateError(`service "${options.serviceId}" v${options.version} is published already: dry-run a draft`, 'is-published');
      const draft = entry.body as ServiceDefinition;
      if (!repository.latest(options.serviceId)) throw new CatalogueEntryNotFoundError(`service "${options.serviceId}" has no published version, so no cases to replay`);
      const now = clock.now();
      const since = options.months === undefined ? null : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - options.months, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes())).toISOString();
      const listed = options.listed ?? 1000;
      const totals = emptyTotals();
      const cases: CaseDryRun[] = [];
      const applicants = new Map<string, { type: 'person' | 'enterprise'; id: string }>();
      let truncated = false;
      const replay = async (caseId: string) => {
        const events = await eventStore.readStream(caseStream(caseId));
        const ref = serviceRefOf(events);
        const ranOn = ref ? repository.get(ref.serviceId, ref.serviceVersion) : undefined;
        if (!ref || ref.serviceId !== options.serviceId || !ranOn) {
          if (ref?.serviceId === options.serviceId) totals.unreadable++;
          return null;
        }
        const applicant = events.find((e) => e.type === 'ApplicationDrafted')?.data.applicant as { type: 'person' | 'enterprise'; id: string } | undefined;
        if (applicant && typeof applicant.id === 'string') applicants.set(caseId, applicant);
        try {
          return dryRunCase(events, ranOn, draft, env);
        } catch {
          totals.unreadable++;
          return null;
        }
      };
      const concurrency = deps.concurrency ?? 8;
      for await (const page of deps.findCases(options.serviceId, since)) {
        for (let i = 0; i < page.length; i += concurrency) {
          const runs = await Promise.all(page.slice(i, i + concurrency).map(replay));
          for (const run of runs) {
            if (!run) continue;
            countCase(totals, run);
            if (run.differences.length === 0) continue;
            if (cases.length < listed) cases.push(run);
            else truncated = true;
          }
        }
      }
      const report: DryRunReport = {
        serviceId: options.serviceId,
        version: options.version,
        definitionHash: definitionHash(entry.body),
        since,
        ranAt: now.toISOString(),
        by: options.actor,
        totals,
        cases,
        truncated,
      };
      await options.recordShown?.(cases.flatMap((c) => (applicants.has(c.caseId) ? [{ caseId: c.caseId, applicant: applicants.get(c.caseId)! }] : [])));
      await admin.recordDryRun({ ...report, cases: cases.slice(0, KEPT_WITH_THE_DRAFT), truncated: truncated || cases.length > KEPT_WITH_THE_DRAFT }, options.actor, options.commandId);
      return report;
    },
  };
}

export type CatalogueDryRun = ReturnType<typeof createCatalogueDryRun>;
