import type { ServiceDefinition } from '../../../domain/catalogue/index.ts';
import type { CaseRecorded } from '../shared/events.ts';
import { isOpen, nextStatus } from '../shared/status.ts';
import type { CitizenAction, CitizenCase } from './document.ts';

const RATABLE: ReadonlySet<string> = new Set(['certificateIssued', 'denied', 'closed', 'notAccepted']);

function without(pending: CitizenCase['pending'], id: string): CitizenCase['pending'] {
  if (!(id in pending)) return pending;
  const { [id]: _gone, ...rest } = pending;
  return rest;
}

function pendingAfter(row: CitizenCase, event: CaseRecorded, definition: ServiceDefinition | undefined): CitizenCase['pending'] {
  const pending = row.pending;
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const declined = (definition?.materials ?? []).filter(
        (m) => m.kind === 'evidence' && m.requiresExplicitRequest === true && !event.data.explicitRequests.includes(m.id),
      );
      return declined.length ? { ...pending, ...Object.fromEntries(declined.map((m) => [m.id, 'upload' as const])) } : pending;
    }
    case 'EvidenceReceived': {
      const material = definition?.materials.find((m) => m.id === event.data.materialId);
      return material?.kind === 'evidence' && material.requiresPreview ? { ...pending, [event.data.materialId]: 'preview' } : without(pending, event.data.materialId);
    }
    case 'EvidenceUnavailable':
    case 'EvidencePreviewRefused':
      return { ...pending, [event.data.materialId]: 'upload' };
    case 'EvidencePreviewConfirmed':
    case 'MaterialUploaded':
      return without(pending, event.data.materialId);
    // 容缺: what was accepted missing is still owed, after the decision too.
    case 'FollowUpRequired':
      return { ...pending, ...Object.fromEntries(event.data.items.map((i) => [i.materialId, 'upload' as const])) };
    default:
      return pending;
  }
}

function actionOf(row: CitizenCase): CitizenAction {
  if (row.status === 'draft') return 'submit';
  if (row.status === 'awaitingSupplement') return 'supplement';
  // A suspended case takes no upload and no preview (its machine refuses both): what is owed is asked for on resumption.
  if (row.open && row.status !== 'suspended') {
    const asks = Object.values(row.pending);
    if (asks.includes('preview')) return 'preview';
    if (asks.includes('upload')) return 'upload';
  }
  return RATABLE.has(row.status) && !row.rated ? 'rate' : null;
}

export function newCitizenCase(event: Extract<CaseRecorded, { type: 'ApplicationDrafted' }>): CitizenCase {
  const d = event.data;
  return {
    caseId: d.caseId, applicantId: d.applicant.id, applicantType: d.applicant.type, ...(d.agent ? { agentId: d.agent.id } : {}), serviceId: d.serviceId, serviceVersion: d.serviceVersion,
    bundleId: d.bundleId, status: 'draft', resumeTo: null, open: true, action: 'submit', pending: {}, draftedAt: event.metadata.occurredAt,
    updatedAt: event.metadata.occurredAt, submittedOn: null, promisedDueOn: null, outcome: null, certificateNo: null, rated: false, revision: '-1',
  };
}

export function evolveCitizenCase(row: CitizenCase, event: CaseRecorded, definition: ServiceDefinition | undefined): CitizenCase {
  const track = nextStatus({ status: row.status, resumeTo: row.resumeTo }, event.type);
  const next: CitizenCase = { ...row, status: track.status ?? row.status, resumeTo: track.resumeTo, pending: pendingAfter(row, event, definition) };
  switch (event.type) {
    case 'ApplicationSubmitted':
      next.submittedOn = event.data.submittedOn;
      break;
    case 'CaseAccepted':
    case 'DeadlineExtended':
    case 'DeadlinesRecalculated':
    case 'CaseResumed':
      next.promisedDueOn = event.data.due.promised;
      break;
    case 'CaseApproved':
      next.outcome = 'approved';
      break;
    case 'CaseDenied':
      next.outcome = 'denied';
      break;
    case 'CertificateIssued':
      next.certificateNo = event.data.certificateNo;
      break;
    case 'CaseRated':
      next.rated = true;
      break;
  }
  next.open = isOpen(next.status);
  next.action = actionOf(next);
  next.updatedAt = event.metadata.occurredAt;
  next.revision = event.revision.toString();
  return next;
}
