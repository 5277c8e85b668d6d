import type { FindQuery, ReadStore } from '../../domain/ports/read-store.ts';
import { activeCollection } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION } from '../../projections/views/case-view/index.ts';
import { CITIZEN_CASES, CITIZEN_CASES_PROJECTION, CITIZEN_CASES_VERSION } from '../../projections/views/citizen-cases/index.ts';
import { WORK_QUEUE, WORK_QUEUE_PROJECTION, WORK_QUEUE_VERSION } from '../../projections/views/work-queue/index.ts';
import { AUDIT_TRAIL, AUDIT_TRAIL_PROJECTION, AUDIT_TRAIL_VERSION } from '../../projections/views/audit-trail/index.ts';
import { DATA_USE, DATA_USE_PROJECTION, DATA_USE_VERSION } from '../../projections/views/data-use/index.ts';
import { SERVICE_STATS, SERVICE_STATS_PROJECTION, SERVICE_STATS_VERSION } from '../../projections/views/service-stats/index.ts';
import { ERASURE_REQUESTS, ERASURE_REQUESTS_PROJECTION, ERASURE_REQUESTS_VERSION } from '../../projections/views/erasure-requests/index.ts';

/** Logical view -> (projection, collection); reads resolve the serving version so rebuilds swap in unnoticed. */
const VIEWS = {
  caseView: [CASE_VIEW_PROJECTION, CASE_VIEW, CASE_VIEW_VERSION],
  citizenCases: [CITIZEN_CASES_PROJECTION, CITIZEN_CASES, CITIZEN_CASES_VERSION],
  workQueue: [WORK_QUEUE_PROJECTION, WORK_QUEUE, WORK_QUEUE_VERSION],
  auditTrail: [AUDIT_TRAIL_PROJECTION, AUDIT_TRAIL, AUDIT_TRAIL_VERSION],
  dataUse: [DATA_USE_PROJECTION, DATA_USE, DATA_USE_VERSION],
  serviceStats: [SERVICE_STATS_PROJECTION, SERVICE_STATS, SERVICE_STATS_VERSION],
  erasureRequests: [ERASURE_REQUESTS_PROJECTION, ERASURE_REQUESTS, ERASURE_REQUESTS_VERSION],
} as const;

export type ViewName = keyof typeof VIEWS;

export function createViews(readStore: ReadStore, extra: Partial<Record<ViewName, readonly [string, string, number]>> = {}) {
  const all: Record<string, readonly [string, string, number]> = { ...VIEWS, ...extra };
  const collection = (view: ViewName) => {
    const entry = all[view];
    if (!entry) throw new Error(`view ${view} is not configured`);
    // Before a projection first switched, its first build fills the collection of the projector's own version.
    return activeCollection(readStore, entry[0], entry[1], { fallbackVersion: entry[2] });
  };
  return {
    async get(view: ViewName, id: string) {
      return readStore.get(await collection(view), id);
    },
    async find(view: ViewName, query: FindQuery) {
      return readStore.find(await collection(view), query);
    },
  };
}

export type Views = ReturnType<typeof createViews>;
