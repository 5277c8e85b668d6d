import type { Engine } from '../../runtime/engine.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import { foldInMemory } from '../../projections/index.ts';
import { CASE_VIEW, createCaseViewProjector, type CaseView } from '../../projections/views/case-view/index.ts';
import { badRequest, unprocessable } from '../http/index.ts';
import type { Views } from './views.ts';

/** A past moment of a case: the state after a revision, or at an instant. */
export type CaseMoment = { revision: bigint } | { instant: Date };

/** `asOf`: a revision (a whole number) or an instant (ISO 8601 with a time zone, or a date). */
export function parseMoment(asOf: string): CaseMoment {
  if (/^\d{1,18}$/.test(asOf)) return { revision: BigInt(asOf) };
  const instant = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(asOf) ? new Date(asOf) : new Date(Number.NaN);
  if (Number.isNaN(instant.getTime())) throw badRequest(`asOf "${asOf}" is neither a revision (a whole number) nor an instant (e.g. 2026-03-01T09:30:00+08:00)`, { slug: 'bad-as-of' });
  return { instant };
}

/**
 * The case view served to callers. The stored view may trail the case's stream by the projection's lag, so it is
 * brought up to the stream's newest event on read with the projector the runner uses: a caller always sees its own
 * writes, whichever API process it reaches, on every backend. A past moment is folded from the stream alone.
 */
export function createCaseReader(engine: Engine, views: Views) {
  const projector = createCaseViewProjector({ services: { get: (id, version) => engine.catalogue.get(id, version) } });
  const fold = (caseId: string, events: readonly RecordedEvent[], stored: CaseView | null): CaseView | null => {
    const seed = new Map(stored ? [[`${CASE_VIEW}/${caseId}`, stored as unknown as Record<string, unknown>]] : []);
    return (foldInMemory(projector, events, seed).get(`${CASE_VIEW}/${caseId}`) as CaseView | undefined) ?? null;
  };

  return {
    async current(caseId: string): Promise<CaseView | null> {
      const stored = (await views.get('caseView', caseId)) as CaseView | null;
      const fromRevision = stored ? BigInt(stored.revision) + 1n : 0n;
      const newer = await engine.stores.eventStore.readStream(caseStream(caseId), { fromRevision });
      return newer.length === 0 ? stored : fold(caseId, newer, stored);
    },

    /** The view as it was at a moment, and the instant it stood for (to count days left as they were then). */
    async at(caseId: string, moment: CaseMoment, now: Date): Promise<{ view: CaseView; instant: Date } | null> {
      const events = await engine.stores.eventStore.readStream(caseStream(caseId));
      if (events.length === 0) return null;
      let cut: RecordedEvent[];
      let instant: Date;
      if ('revision' in moment) {
        const head = events.at(-1)!.revision;
        if (moment.revision > head) throw unprocessable(`the case is at revision ${head}; revision ${moment.revision} does not exist yet`, { slug: 'bad-as-of' });
        cut = events.filter((e) => e.revision <= moment.revision);
        instant = new Date(cut.at(-1)!.metadata.occurredAt);
      } else {
        if (moment.instant.getTime() > now.getTime()) throw unprocessable(`asOf ${moment.instant.toISOString()} is in the future`, { slug: 'bad-as-of' });
        cut = events.filter((e) => Date.parse(e.metadata.occurredAt) <= moment.instant.getTime());
        if (cut.length === 0) throw unprocessable(`the case did not exist yet at ${moment.instant.toISOString()}; it was drafted at ${events[0]!.metadata.occurredAt}`, { slug: 'bad-as-of' });
        instant = moment.instant;
      }
      const view = fold(caseId, cut, null);
      return view ? { view, instant } : null;
    },
  };
}

export type CaseReader = ReturnType<typeof createCaseReader>;
