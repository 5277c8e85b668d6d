import type { ServiceCatalogue } from '../../domain/catalogue/index.ts';
import type { Calendar } from '../../domain/calendar/index.ts';
import type { Projector } from '../../projections/projector.ts';
import { createAuditTrailProjector } from '../../projections/views/audit-trail/index.ts';
import { createCaseViewProjector } from '../../projections/views/case-view/index.ts';
import { createCitizenCasesProjector } from '../../projections/views/citizen-cases/index.ts';
import { createWorkQueueProjector } from '../../projections/views/work-queue/index.ts';

/** Every read model the product serves, bound to the catalogue whose versions the events name. */
export function allProjectors(deps: { services: ServiceCatalogue; calendar(region: string): Calendar }): Projector[] {
  const services = { get: (id: string, version: number) => deps.services.get(id, version), list: () => deps.services.list() };
  return [
    createCaseViewProjector({ services }),
    createCitizenCasesProjector({ services }),
    createWorkQueueProjector({ services, calendars: deps.calendar }),
    createAuditTrailProjector({ services }),
  ];
}
