import { CASE_STREAM_PREFIX } from '../../../domain/case/events.ts';
import type { Projector, ViewDoc } from '../../projector.ts';
import { alreadyApplied, asCaseEvent, caseIdOf } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { CITIZEN_CASES, type CitizenCase } from './document.ts';
import { evolveCitizenCase, newCitizenCase } from './evolve.ts';

export const CITIZEN_CASES_PROJECTION = 'citizen-cases';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
// 2: a suspended case asks the applicant for nothing (rebuilt on deploy).
export const CITIZEN_CASES_VERSION = 2;

/** "My cases": one small row per case, id = caseId, filtered by applicantId. */
export function createCitizenCasesProjector(deps: { services: Pick<ServiceDirectory, 'get'> }): Projector {
  return {
    name: CITIZEN_CASES_PROJECTION,
    version: CITIZEN_CASES_VERSION,
    collections: [CITIZEN_CASES],
    // A case's documents come from its own stream alone, so a rebuild may replay the log case by case.
    streamScoped: { prefix: CASE_STREAM_PREFIX },
    keys(event) {
      const caseId = caseIdOf(event);
      return caseId === null ? [] : [{ collection: CITIZEN_CASES, id: caseId }];
    },
    apply(event, context) {
      const caseEvent = asCaseEvent(event);
      if (!caseEvent) return;
      const caseId = caseIdOf(event)!;
      const stored = context.get(CITIZEN_CASES, caseId) as CitizenCase | undefined;
      if (alreadyApplied(stored, event)) return;
      const row = caseEvent.type === 'ApplicationDrafted' ? newCitizenCase(caseEvent) : stored;
      if (!row) return;
      const definition = deps.services.get(row.serviceId, row.serviceVersion);
      context.put(CITIZEN_CASES, caseId, evolveCitizenCase(row, caseEvent, definition) as unknown as ViewDoc);
    },
  };
}
