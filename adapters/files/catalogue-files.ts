/** Loads the data catalogue from domain/catalogue/data/ and hands it to the pure validators. */
import { fileURLToPath } from 'node:url';
import { CatalogueError, buildDataCatalogue, type DataCatalogue } from '../../domain/catalogue/index.ts';
import { readJsonFile } from './read-json.ts';

export const CATALOGUE_DATA_DIR = fileURLToPath(new URL('../../domain/catalogue/data/', import.meta.url));
export const DATA_CATALOGUE_FILE = fileURLToPath(new URL('../../domain/catalogue/data/data-catalogue.json', import.meta.url));

/** Throws a CatalogueError listing every problem when the file is invalid. */
export function loadDataCatalogue(file: string = DATA_CATALOGUE_FILE): DataCatalogue {
  const built = buildDataCatalogue(readJsonFile(file));
  if (!built.ok) throw new CatalogueError(file, built.errors);
  return built.value;
}
