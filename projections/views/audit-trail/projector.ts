import { compareCheckpoints, formatCheckpoint, parseCheckpoint, type RecordedEvent } from '../../../domain/events/index.ts';
import { chain } from '../../audit/hash-chain.ts';
import type { DocKey, ProjectionContext, Projector, ViewDoc } from '../../projector.ts';
import { asCaseEvent, asDataAccessed, caseIdOf, type CaseRecorded } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { nextStatus } from '../shared/status.ts';
import { dataAccess, evidenceAccess } from './access.ts';
import { AUDIT_CASES, AUDIT_HEAD, AUDIT_TRAIL, HEAD_ID, type AuditCase, type AuditEntry, type AuditHead } from './document.ts';

export const AUDIT_TRAIL_PROJECTION = 'audit-trail';
/** Code version; readers use it as the fallback before the projection first ran. */
export const AUDIT_TRAIL_VERSION = 2;

type Content = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

function common(event: RecordedEvent): Omit<Content, 'category' | 'caseId' | 'subjectId' | 'serviceId' | 'statusBefore' | 'statusAfter' | 'access'> {
  const { actor } = event.metadata;
  return {
    id: event.metadata.eventId,
    at: event.metadata.occurredAt,
    eventType: event.type,
    streamId: event.streamId,
    revision: event.revision.toString(),
    checkpoint: formatCheckpoint(event.checkpoint),
    eventHash: event.hash ?? null,
    commandId: event.metadata.commandId,
    correlationId: event.metadata.correlationId,
    actorKind: actor.kind,
    actorId: actor.id,
    actorDepartment: actor.department ?? null,
    actorRoles: [...(actor.roles ?? [])],
  };
}

/**
 * The audit trail: every event, commands and data accesses alike, in one hash chain in delivery order. The head
 * document is named by every event, so a batch extends the chain from where the last one left it, and a
 * redelivered event (checkpoint not after the head's) adds nothing.
 */
export function createAuditTrailProjector(deps: { services: Pick<ServiceDirectory, 'get'> }): Projector {
  function caseContent(event: CaseRecorded, caseId: string, context: ProjectionContext): Content {
    let known = context.get(AUDIT_CASES, caseId) as AuditCase | undefined;
    if (event.type === 'ApplicationDrafted') {
      const definition = deps.services.get(event.data.serviceId, event.data.serviceVersion);
      known = {
        status: null, resumeTo: null, serviceId: event.data.serviceId, applicantId: event.data.applicant.id,
        department: definition?.department ?? null, legalBasis: definition?.legalBasis ?? null, revision: '-1',
      };
    }
    const before = known?.status ?? null;
    const track = nextStatus({ status: before, resumeTo: known?.resumeTo ?? null }, event.type);
    if (known) context.put(AUDIT_CASES, caseId, { ...known, ...track, revision: event.revision.toString() } as unknown as ViewDoc);
    return {
      ...common(event as unknown as RecordedEvent),
      category: 'case',
      caseId,
      subjectId: known?.applicantId ?? null,
      serviceId: known?.serviceId ?? null,
      statusBefore: before,
      statusAfter: track.status,
      access: evidenceAccess(event, caseId, known),
    };
  }

  function content(event: RecordedEvent, context: ProjectionContext): Content {
    const caseEvent = asCaseEvent(event);
    if (caseEvent) return caseContent(caseEvent, caseIdOf(event)!, context);
    const accessed = asDataAccessed(event);
    const none = { statusBefore: null, statusAfter: null };
    if (accessed) {
      const access = dataAccess(accessed);
      return { ...common(event), ...none, category: 'data-access', caseId: access.caseId, subjectId: accessed.data.subject.id, serviceId: access.serviceId, access };
    }
    return { ...common(event), ...none, category: 'other', caseId: null, subjectId: null, serviceId: null, access: null };
  }

  return {
    name: AUDIT_TRAIL_PROJECTION,
    version: AUDIT_TRAIL_VERSION,
    collections: [AUDIT_TRAIL, AUDIT_HEAD, AUDIT_CASES],
    keys(event) {
      const keys: DocKey[] = [{ collection: AUDIT_HEAD, id: HEAD_ID }, { collection: AUDIT_TRAIL, id: event.metadata.eventId }];
      const caseId = caseIdOf(event);
      if (caseId !== null) keys.push({ collection: AUDIT_CASES, id: caseId });
      return keys;
    },
    apply(event, context) {
      const head = context.get(AUDIT_HEAD, HEAD_ID) as AuditHead | undefined;
      if (head && compareCheckpoints(event.checkpoint, parseCheckpoint(head.checkpoint)) <= 0) return;
      const entry = chain(content(event, context) as unknown as Record<string, unknown>, head ?? null) as unknown as AuditEntry;
      context.put(AUDIT_TRAIL, entry.id, entry as unknown as ViewDoc);
      const next: AuditHead = { seq: entry.seq, hash: entry.hash, checkpoint: entry.checkpoint, lastId: entry.id };
      context.put(AUDIT_HEAD, HEAD_ID, next as unknown as ViewDoc);
    },
  };
}
