/** The read views projected from the event log, and the pure helpers the API serves them with. */
import type { Calendar } from '../../domain/calendar/index.ts';
import type { Projector } from '../projector.ts';
import { createAuditTrailProjector } from './audit-trail/index.ts';
import { createCaseViewProjector } from './case-view/index.ts';
import { createCitizenCasesProjector } from './citizen-cases/index.ts';
import { createDataUseProjector } from './data-use/index.ts';
import { createErasureRequestsProjector } from './erasure-requests/index.ts';
import { createServiceStatsProjector } from './service-stats/index.ts';
import type { ServiceDirectory } from './shared/services.ts';
import { createWorkQueueProjector } from './work-queue/index.ts';

export * from './audit-trail/index.ts';
export * from './case-view/index.ts';
export * from './citizen-cases/index.ts';
export * from './data-use/index.ts';
export * from './erasure-requests/index.ts';
export * from './service-stats/index.ts';
export * from './work-queue/index.ts';
export { fixedDirectory } from './shared/services.ts';
export type { ServiceDirectory } from './shared/services.ts';
export { isOpen } from './shared/status.ts';
export type { CaseStatus } from './shared/status.ts';
export type { MaterialDoc, MaterialStatus, Materials } from './shared/materials.ts';
export type { OutstandingItem } from './shared/outstanding.ts';

export interface ViewDeps {
  services: ServiceDirectory;
  /** Working-day calendar by region, for the work queue's certificate and verification limits. */
  calendars?: (region: string) => Calendar | undefined;
}

/** Every view projector, in the order a runner may start them. */
export function createViewProjectors(deps: ViewDeps): Projector[] {
  return [
    createCaseViewProjector(deps),
    createCitizenCasesProjector(deps),
    createWorkQueueProjector(deps),
    createAuditTrailProjector(deps),
    createDataUseProjector(deps),
    createServiceStatsProjector(deps),
    createErasureRequestsProjector(),
  ];
}
export type { CaseRecorded } from './shared/events.ts';
export { nextStatus } from './shared/status.ts';
export type { StatusTrack } from './shared/status.ts';
