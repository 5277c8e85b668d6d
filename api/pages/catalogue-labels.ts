import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { DataCatalogue, LocalizedText } from '../../domain/catalogue/index.ts';

/** What the pages need to name things the case API returns only as codes: departments, data items and their fields. */
export interface CatalogueLabels {
  departments: Record<string, LocalizedText>;
  dataItems: Record<string, { name: LocalizedText; provider: string; trustLevel: string; fields: Record<string, LocalizedText> }>;
}

/**
 * Names only, all public catalogue data: no field value ever passes through here. Built from the data catalogue
 * files the engine itself validates at start-up.
 */
export function catalogueLabels(catalogue: DataCatalogue = loadDataCatalogue()): CatalogueLabels {
  const departments: CatalogueLabels['departments'] = {};
  for (const department of catalogue.departments()) departments[department.code] = department.name;
  const dataItems: CatalogueLabels['dataItems'] = {};
  for (const item of catalogue.list()) {
    const fields: Record<string, LocalizedText> = {};
    for (const field of item.fields) fields[field.name] = field.label;
    dataItems[item.id] = { name: item.name, provider: item.provider, trustLevel: item.trustLevel, fields };
  }
  return { departments, dataItems };
}
