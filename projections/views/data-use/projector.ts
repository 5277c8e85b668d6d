import type { Projector, ViewDoc } from '../../projector.ts';
import { alreadyApplied, asCaseEvent, asDataAccessed, caseIdOf } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { DATA_USE, DATA_USE_CASES, type DataUse, type DataUseCase } from './document.ts';

export const DATA_USE_PROJECTION = 'data-use';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
export const DATA_USE_VERSION = 1;

const EVIDENCE = new Set(['EvidenceReceived', 'EvidenceUnavailable']);

/**
 * Sources: DataAccessed (a person or system reading a subject's data) and the evidence outcomes of a case (the lead
 * department reading the applicant's data from its holder). An entry is a function of its event and the case's
 * bookkeeping, which only ApplicationDrafted writes, so writing it again on redelivery changes nothing.
 */
export function createDataUseProjector(deps: { services: Pick<ServiceDirectory, 'get'> }): Projector {
  return {
    name: DATA_USE_PROJECTION,
    version: DATA_USE_VERSION,
    collections: [DATA_USE, DATA_USE_CASES],
    keys(event) {
      if (asDataAccessed(event)) return [{ collection: DATA_USE, id: event.metadata.eventId }];
      const caseId = caseIdOf(event);
      if (caseId === null) return [];
      if (event.type === 'ApplicationDrafted') return [{ collection: DATA_USE_CASES, id: caseId }];
      if (EVIDENCE.has(event.type)) return [{ collection: DATA_USE_CASES, id: caseId }, { collection: DATA_USE, id: event.metadata.eventId }];
      return [];
    },
    apply(event, context) {
      const accessed = asDataAccessed(event);
      if (accessed) {
        const d = accessed.data;
        const use: DataUse = {
          id: event.metadata.eventId, subjectId: d.subject.id, subjectType: d.subject.type, at: event.metadata.occurredAt,
          department: d.accessor.department, accessorKind: d.accessor.kind, holder: null, caseId: d.caseId, serviceId: d.serviceId,
          purpose: d.purpose, legalBasis: null, dataItem: null, fields: [...d.fields], channel: d.channel, result: d.result,
        };
        context.put(DATA_USE, use.id, use as unknown as ViewDoc);
        return;
      }
      const caseEvent = asCaseEvent(event);
      if (!caseEvent) return;
      const caseId = caseIdOf(event)!;
      if (caseEvent.type === 'ApplicationDrafted') {
        if (alreadyApplied(context.get(DATA_USE_CASES, caseId) as DataUseCase | undefined, event)) return;
        const definition = deps.services.get(caseEvent.data.serviceId, caseEvent.data.serviceVersion);
        const known: DataUseCase = {
          applicant: caseEvent.data.applicant, serviceId: caseEvent.data.serviceId, department: definition?.department ?? null,
          legalBasis: definition?.legalBasis ?? null, revision: event.revision.toString(),
        };
        context.put(DATA_USE_CASES, caseId, known as unknown as ViewDoc);
        return;
      }
      if (caseEvent.type !== 'EvidenceReceived' && caseEvent.type !== 'EvidenceUnavailable') return;
      const known = context.get(DATA_USE_CASES, caseId) as DataUseCase | undefined;
      if (!known) return;
      const received = caseEvent.type === 'EvidenceReceived';
      const use: DataUse = {
        id: event.metadata.eventId, subjectId: known.applicant.id, subjectType: known.applicant.type, at: event.metadata.occurredAt,
        department: known.department, accessorKind: 'department', holder: caseEvent.data.provider, caseId, serviceId: known.serviceId,
        purpose: 'evidence for the application', legalBasis: known.legalBasis, dataItem: caseEvent.data.dataItem,
        fields: received ? Object.keys(caseEvent.data.fields).sort() : [],
        channel: 'evidence',
        // Nothing came back, but the holder was asked about the subject: shown with the reason as the result.
        result: received ? 'granted' : caseEvent.data.reason,
      };
      context.put(DATA_USE, use.id, use as unknown as ViewDoc);
    },
  };
}
