import { CASE_STREAM_PREFIX } from '../../../domain/case/events.ts';
import type { Projector, ViewDoc } from '../../projector.ts';
import { alreadyApplied, asCaseEvent, caseIdOf } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { newCaseView } from './create.ts';
import { CASE_VIEW, type CaseView } from './document.ts';
import { evolveCaseView } from './evolve.ts';

export const CASE_VIEW_PROJECTION = 'case-view';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
export const CASE_VIEW_VERSION = 5;

/** The case view: one document per case, id = caseId, written from that case's own stream only. */
export function createCaseViewProjector(deps: { services: Pick<ServiceDirectory, 'get'> }): Projector {
  return {
    name: CASE_VIEW_PROJECTION,
    // 2: uploaded materials carry their file (name, media type, size, hash, time).
    // 3: timeline entries keep facts, not English sentences (the API renders the summary when serving).
    // 4: clockStopped with its reason, instantApproval (why 秒批 did not decide), obligations (容缺 follow-ups).
    //    Decision entries' facts also carry seenRevision (the If-Match the decider sent); optional and introduced in
    //    the same release as 4, so it needs no version of its own (a 4 built without it only lacks the fact).
    // 5: a follow-up whose due date moved (a calendar change, a suspension) drops the reminders raised for the old date.
    version: CASE_VIEW_VERSION,
    collections: [CASE_VIEW],
    // A case's documents come from its own stream alone, so a rebuild may replay the log case by case.
    streamScoped: { prefix: CASE_STREAM_PREFIX },
    keys(event) {
      const caseId = caseIdOf(event);
      return caseId === null ? [] : [{ collection: CASE_VIEW, id: caseId }];
    },
    apply(event, context) {
      const caseEvent = asCaseEvent(event);
      if (!caseEvent) return;
      const caseId = caseIdOf(event)!;
      const stored = context.get(CASE_VIEW, caseId) as CaseView | undefined;
      if (alreadyApplied(stored, event)) return;
      let view: CaseView;
      if (caseEvent.type === 'ApplicationDrafted') {
        const definition = deps.services.get(caseEvent.data.serviceId, caseEvent.data.serviceVersion);
        view = evolveCaseView(newCaseView(caseEvent.data, definition, event.metadata.occurredAt), caseEvent);
      } else if (stored) {
        view = evolveCaseView(stored, caseEvent);
      } else {
        // Every case stream starts with ApplicationDrafted; a later event with no view has nothing to attach to.
        return;
      }
      context.put(CASE_VIEW, caseId, view as unknown as ViewDoc);
    },
  };
}
