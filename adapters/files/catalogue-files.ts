/**
 * Loads the data catalogue and the service catalogue from domain/catalogue/data/ and hands the parsed JSON to the
 * pure validators. Layout: data-catalogue.json, services/<id>.v<version>.json, bundles/<id>.v<version>.json.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CatalogueError,
  buildDataCatalogue,
  buildServiceCatalogue,
  type CatalogueFile,
  type DataCatalogue,
  type ServiceCatalogue,
} from '../../domain/catalogue/index.ts';
import { jsonFilesIn, readJsonFile } from './read-json.ts';

export const CATALOGUE_DATA_DIR = fileURLToPath(new URL('../../domain/catalogue/data/', import.meta.url));
export const DATA_CATALOGUE_FILE = join(CATALOGUE_DATA_DIR, 'data-catalogue.json');

/** Throws a CatalogueError listing every problem when the file is invalid. */
export function loadDataCatalogue(file: string = DATA_CATALOGUE_FILE): DataCatalogue {
  const built = buildDataCatalogue(readJsonFile(file));
  if (!built.ok) throw new CatalogueError(file, built.errors);
  return built.value;
}

/** Reads every definition of a directory and checks that its name says which id and version it holds. */
function readDefinitions(dir: string, kind: string): { raw: unknown[]; errors: string[] } {
  const raw: unknown[] = [];
  const errors: string[] = [];
  for (const file of jsonFilesIn(dir)) {
    const def = readJsonFile(file) as { id?: unknown; version?: unknown } | null;
    const expected = `${String(def?.id)}.v${String(def?.version)}.json`;
    // People find a version by its file name; a copied file whose version was bumped but not renamed misleads them.
    if (basename(file) !== expected) errors.push(`${kind} file ${basename(file)} holds ${expected.slice(0, -5)} and must be named ${expected}`);
    raw.push(def);
  }
  return { raw, errors };
}

/** Every service and bundle definition, validated against the data catalogue; throws listing every problem. */
export function loadServiceCatalogue(dataCatalogue: DataCatalogue = loadDataCatalogue(), dir: string = CATALOGUE_DATA_DIR): ServiceCatalogue {
  const services = readDefinitions(join(dir, 'services'), 'service');
  const bundles = readDefinitions(join(dir, 'bundles'), 'bundle');
  const built = buildServiceCatalogue(dataCatalogue, services.raw, bundles.raw);
  const errors = [...services.errors, ...bundles.errors, ...(built.ok ? [] : built.errors)];
  if (!built.ok || errors.length > 0) throw new CatalogueError(dir, errors);
  return built.value;
}

/** The bundled catalogue as files (names relative to the catalogue folder): what a first start seeds the store with. */
export function readCatalogueDirectory(dir: string = CATALOGUE_DATA_DIR): CatalogueFile[] {
  const files: CatalogueFile[] = [{ name: 'data-catalogue.json', content: readFileSync(join(dir, 'data-catalogue.json'), 'utf8') }];
  for (const sub of ['services', 'bundles']) {
    for (const file of jsonFilesIn(join(dir, sub))) files.push({ name: `${sub}/${basename(file)}`, content: readFileSync(file, 'utf8') });
  }
  return files;
}
