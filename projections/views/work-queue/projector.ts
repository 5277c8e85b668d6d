import { CASE_STREAM_PREFIX } from '../../../domain/case/events.ts';
import type { Calendar } from '../../../domain/calendar/index.ts';
import type { Projector, ViewDoc } from '../../projector.ts';
import { alreadyApplied, asCaseEvent, caseIdOf } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { WORK_QUEUE, WORK_QUEUE_CASES, type QueueCase, type WorkItem } from './document.ts';
import { evolveQueueCase, newQueueCase } from './evolve.ts';
import { workItems, type ItemContext } from './items.ts';

export const WORK_QUEUE_PROJECTION = 'work-queue';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
export const WORK_QUEUE_VERSION = 5;

export interface WorkQueueDeps {
  services: Pick<ServiceDirectory, 'get'>;
  /** The region's working-day calendar, to place certificate and verification limits; without it they stay null. */
  calendars?: (region: string) => Calendar | undefined;
}

const same = (a: WorkItem | undefined, b: WorkItem) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * The clerks' queues. Items are derived from a per-case bookkeeping document and written (or deleted) without being
 * read, so keys() names only the bookkeeping document: the item ids depend on the department, which only the
 * catalogue knows. Unchanged items are not rewritten.
 */
export function createWorkQueueProjector(deps: WorkQueueDeps): Projector {
  const contextFor = (state: QueueCase): ItemContext => {
    const definition = deps.services.get(state.serviceId, state.serviceVersion);
    return { definition, calendar: definition ? deps.calendars?.(definition.limits.calendar) : undefined };
  };
  return {
    name: WORK_QUEUE_PROJECTION,
    // 2: items carry the acceptance receipt number.
    // 3: items carry why 秒批 left the case to a clerk (note), the 容缺 follow-ups owed, and who holds them (heldBy).
    // 4: the note names the conditions 秒批 found not met, never the values it read.
    // 5: a payment taken after a revocation, owed back, is the lead department's item (refund-due) until refunded.
    //    In the same release: certificate and verification limits counted in calendar days end off days off.
    version: WORK_QUEUE_VERSION,
    collections: [WORK_QUEUE, WORK_QUEUE_CASES],
    // A case's documents come from its own stream alone, so a rebuild may replay the log case by case.
    streamScoped: { prefix: CASE_STREAM_PREFIX },
    keys(event) {
      const caseId = caseIdOf(event);
      return caseId === null ? [] : [{ collection: WORK_QUEUE_CASES, id: caseId }];
    },
    apply(event, context) {
      const caseEvent = asCaseEvent(event);
      if (!caseEvent) return;
      const caseId = caseIdOf(event)!;
      const stored = context.get(WORK_QUEUE_CASES, caseId) as QueueCase | undefined;
      if (alreadyApplied(stored, event)) return;
      let state = stored;
      if (caseEvent.type === 'ApplicationDrafted') {
        state = newQueueCase(caseEvent, deps.services.get(caseEvent.data.serviceId, caseEvent.data.serviceVersion)?.department ?? null);
      }
      if (!state) return;
      const items = contextFor(state);
      const before = new Map(workItems(state, items).map((item) => [item.id, item]));
      const next = evolveQueueCase(state, caseEvent);
      const after = workItems(next, items);
      for (const item of after) {
        if (!same(before.get(item.id), item)) context.put(WORK_QUEUE, item.id, item as unknown as ViewDoc);
      }
      const current = new Set(after.map((item) => item.id));
      for (const id of state.items) if (!current.has(id)) context.delete(WORK_QUEUE, id);
      next.items = [...current];
      context.put(WORK_QUEUE_CASES, caseId, next as unknown as ViewDoc);
    },
  };
}
