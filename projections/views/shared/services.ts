import type { ServiceDefinition } from '../../../domain/catalogue/index.ts';

/**
 * What the views need from the service catalogue (ServiceCatalogue satisfies it). Case events name the service only
 * in ApplicationDrafted; the lead department, co-reviewers, materials and limits come from the version a case was
 * opened with, which never changes once published, so looking it up while projecting stays pure and repeatable.
 */
export interface ServiceDirectory {
  get(serviceId: string, version: number): ServiceDefinition | undefined;
  /** Latest version of each service: the statistics projection preloads one document per service and department. */
  list(): ServiceDefinition[];
  /**
   * Every published version of one service, oldest first. A case counts under the department of the version it was
   * opened with, which a later version may have moved the service from: the statistics preload those too.
   */
  versions(id: string): ServiceDefinition[];
}

/** A directory over fixed definitions, for scripts, benches and specs. */
export function fixedDirectory(definitions: ServiceDefinition[]): ServiceDirectory {
  const byKey = new Map(definitions.map((d) => [`${d.id}@${d.version}`, d]));
  const latest = new Map<string, ServiceDefinition>();
  for (const d of definitions) {
    const current = latest.get(d.id);
    if (!current || current.version < d.version) latest.set(d.id, d);
  }
  const list = [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const versions = (id: string) => definitions.filter((d) => d.id === id).sort((a, b) => a.version - b.version);
  return { get: (id, version) => byKey.get(`${id}@${version}`), list: () => list, versions };
}
