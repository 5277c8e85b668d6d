import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../domain/events/index.ts';
import { APPLICANT, SINGLE } from './case-fixtures.ts';

type Due = { statutory: string; promised: string };

/**
 * Case events as the notification outbox reads them, for its specs: recorded by the system, each under a command id of
 * its own unless `commandId` names the one command several share.
 */
export function toldCase(caseId = randomUUID()) {
  const at = new Date().toISOString();
  const event = (type: string, data: Record<string, unknown>, commandId = randomUUID()): NewEvent => ({
    type,
    data,
    metadata: { eventId: randomUUID(), schemaVersion: 1, occurredAt: at, correlationId: caseId, causationId: null, actor: { kind: 'system', id: 'test' }, commandId },
  });
  return {
    caseId,
    event,
    /** Drafted for the SINGLE test service and accepted: the applicant is told "accepted". */
    opened: (options: { applicant?: string; acceptedOn?: string; receiptNo?: string; missingNonKey?: string[]; due?: Due } = {}): NewEvent[] => {
      const applicant = options.applicant ?? APPLICANT;
      return [
        event('ApplicationDrafted', { caseId, serviceId: SINGLE.id, serviceVersion: SINGLE.version, applicant: { type: 'person', id: applicant }, form: { citizenId: applicant }, bundleId: null }),
        event('CaseAccepted', {
          acceptedOn: options.acceptedOn ?? '2026-03-02', receiptNo: options.receiptNo ?? `R-${caseId.slice(0, 8)}`, deemed: false,
          missingNonKey: options.missingNonKey ?? [], due: options.due ?? { statutory: '2026-03-30', promised: '2026-03-16' },
        }),
      ];
    },
  };
}
