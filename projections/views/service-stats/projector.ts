import type { DocKey, Projector, ViewDoc } from '../../projector.ts';
import { alreadyApplied, asCaseEvent, caseIdOf } from '../shared/events.ts';
import type { ServiceDirectory } from '../shared/services.ts';
import { applyDelta, emptyStats } from './aggregate.ts';
import { isEmpty, statsDelta } from './delta.ts';
import { SERVICE_STATS, SERVICE_STATS_CASES, departmentStatsId, type ServiceStats, type StatsCase } from './document.ts';

export const SERVICE_STATS_PROJECTION = 'service-stats';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
// 2: a case counts under its own version's department after its service moved to another (rebuilt on deploy).
export const SERVICE_STATS_VERSION = 2;

/** Event types that can move a counter; the rest only touch the case bookkeeping (or nothing). */
const COUNTING = new Set([
  'ApplicationSubmitted', 'MaterialUploaded', 'SupplementRequested', 'CaseNotAccepted', 'CaseAccepted', 'EvidenceReceived',
  'EvidencePreviewRefused', 'CaseApproved', 'CaseDenied', 'ApprovalRevoked', 'CaseWithdrawn', 'CaseRated',
]);
const TRACKED = new Set([...COUNTING, 'ApplicationDrafted', 'DeadlineExtended', 'DeadlinesRecalculated', 'CaseResumed']);

interface Aggregates {
  keys: DocKey[];
  ids: Set<string>;
}

/**
 * Service and department statistics. Only ApplicationDrafted names the service, so keys() cannot tell which
 * aggregate a later event will move; it names every service's and department's document instead. The catalogue is
 * small (tens of services), and the runner loads each named document once per batch, so this costs one lookup of a
 * few dozen documents per batch. A case counts under the department of the version it was opened with, so every
 * department any version of a service names is preloaded: with the latest versions' alone, a service moved to another
 * department stopped counting its earlier cases under the one they were opened with, live, and a rebuild counted
 * them differently again. Versions only grow, so the set only grows.
 */
export function createServiceStatsProjector(deps: { services: ServiceDirectory }): Projector {
  let cached: { list: unknown; aggregates: Aggregates } | undefined;
  const aggregates = (): Aggregates => {
    const list = deps.services.list();
    if (cached?.list === list) return cached.aggregates;
    const ids = new Set<string>();
    for (const definition of list) {
      ids.add(definition.id);
      for (const version of deps.services.versions(definition.id)) ids.add(departmentStatsId(version.department));
    }
    const built = { keys: [...ids].map((id) => ({ collection: SERVICE_STATS, id })), ids };
    cached = { list, aggregates: built };
    return built;
  };

  return {
    name: SERVICE_STATS_PROJECTION,
    version: SERVICE_STATS_VERSION,
    collections: [SERVICE_STATS, SERVICE_STATS_CASES],
    keys(event) {
      const caseId = caseIdOf(event);
      if (caseId === null || !TRACKED.has(event.type)) return [];
      const own = { collection: SERVICE_STATS_CASES, id: caseId };
      return COUNTING.has(event.type) ? [own, ...aggregates().keys] : [own];
    },
    apply(event, context) {
      const caseEvent = asCaseEvent(event);
      if (!caseEvent || !TRACKED.has(event.type)) return;
      const caseId = caseIdOf(event)!;
      const stored = context.get(SERVICE_STATS_CASES, caseId) as StatsCase | undefined;
      if (alreadyApplied(stored, event)) return;
      if (caseEvent.type === 'ApplicationDrafted') {
        const definition = deps.services.get(caseEvent.data.serviceId, caseEvent.data.serviceVersion);
        const known: StatsCase = {
          serviceId: caseEvent.data.serviceId, department: definition?.department ?? null, submitted: false, acceptedOn: null, due: null,
          supplement: false, fetched: [], uploaded: [], revision: event.revision.toString(),
        };
        context.put(SERVICE_STATS_CASES, caseId, known as unknown as ViewDoc);
        return;
      }
      if (!stored) return;
      const { next, delta } = statsDelta(stored, caseEvent);
      context.put(SERVICE_STATS_CASES, caseId, next as unknown as ViewDoc);
      if (isEmpty(delta)) return;
      const { ids } = aggregates();
      const targets: Array<[string, ServiceStats['kind'], string]> = [[stored.serviceId, 'service', stored.serviceId]];
      if (stored.department) targets.push([departmentStatsId(stored.department), 'department', stored.department]);
      for (const [id, kind, key] of targets) {
        if (!ids.has(id)) continue;
        const current = (context.get(SERVICE_STATS, id) as ServiceStats | undefined) ?? emptyStats(id, kind, key);
        context.put(SERVICE_STATS, id, applyDelta(current, delta, event.metadata.occurredAt) as unknown as ViewDoc);
      }
    },
  };
}
