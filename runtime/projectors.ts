import type { ServiceCatalogue } from '../domain/catalogue/index.ts';
import type { Calendar } from '../domain/calendar/index.ts';
import type { Projector } from '../projections/index.ts';
import { createViewProjectors } from '../projections/views/index.ts';

/** Every read model the product serves, bound to the catalogue whose versions the events name. */
export function allProjectors(deps: { services: ServiceCatalogue; calendar(region: string): Calendar }): Projector[] {
  return createViewProjectors({
    services: { get: (id, version) => deps.services.get(id, version), list: () => deps.services.list(), versions: (id) => deps.services.versions(id) },
    calendars: deps.calendar,
  });
}
