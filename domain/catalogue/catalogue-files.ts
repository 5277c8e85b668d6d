/**
 * A whole catalogue as files, the layout of domain/catalogue/data: `data-catalogue.json`,
 * `services/<id>.v<version>.json`, `bundles/<id>.v<version>.json`. Checked all at once, every problem named by
 * file and field, so a city moving several hundred services between environments fixes them in one round.
 */
import { buildDataCatalogue, type DataCatalogue, type DataCatalogueDocument } from './data-catalogue.ts';
import { ServiceCatalogue } from './service-catalogue.ts';
import { isRecord } from './shape.ts';
import type { BundleDefinition, ServiceDefinition } from './types.ts';
import { validateServiceDefinition } from './service-validation.ts';
import { validateBundleDefinition } from './bundle-validation.ts';
import { validateCalendarYear, type CalendarYear } from '../calendar/index.ts';

export interface CatalogueFile {
  name: string;
  /** The file's text (JSON). */
  content: string;
}

export interface FileProblem {
  file: string;
  /** Path of the field inside the file (`materials[1].dataItem`), or '(file)' for the file as a whole. */
  field: string;
  message: string;
}

export interface CatalogueContent {
  dataCatalogue: DataCatalogueDocument;
  services: ServiceDefinition[];
  bundles: BundleDefinition[];
  /** Holiday arrangements, `calendars/<REGION>-<YEAR>.json`. */
  calendars: CalendarYear[];
}

export const DATA_CATALOGUE_FILE_NAME = 'data-catalogue.json';
const DEFINITION_FILE = /^(services|bundles)\/([a-z][a-z0-9-]*)\.v([1-9][0-9]{0,5})\.json$/;
const CALENDAR_FILE = /^calendars\/([A-Z]{2,8})-([0-9]{4})\.json$/;

export const serviceFileName = (def: { id: string; version: number }) => `services/${def.id}.v${def.version}.json`;
export const bundleFileName = (def: { id: string; version: number }) => `bundles/${def.id}.v${def.version}.json`;

/** `service "x" v2: materials[1].dataItem "y" is not shared` as its field and the rest of the sentence. */
function split(file: string, error: string, prefix = ''): FileProblem {
  const rest = error.replace(/^(service|bundle|data item|department|data catalogue)( "[^"]*")?( v\d+)?( #\d+)?: /, '');
  const match = /^([A-Za-z_(][\w.[\]()]*) (.*)$/s.exec(rest);
  if (!match) return { file, field: prefix || '(file)', message: rest };
  const field = match[1] === '(root)' ? prefix || '(root)' : prefix ? `${prefix}.${match[1]}` : match[1]!;
  return { file, field, message: match[2]! };
}

/** Where a data-catalogue message points: items and departments are named by id in messages, by index here. */
function dataCatalogueProblem(error: string, raw: unknown): FileProblem {
  const named = /^(data item|department) "([^"]*)"/.exec(error);
  if (named && isRecord(raw)) {
    const list = named[1] === 'data item' ? raw.items : raw.departments;
    const key = named[1] === 'data item' ? 'id' : 'code';
    const index = Array.isArray(list) ? list.findIndex((x) => isRecord(x) && x[key] === named[2]) : -1;
    if (index >= 0) return split(DATA_CATALOGUE_FILE_NAME, error, `${named[1] === 'data item' ? 'items' : 'departments'}[${index}]`);
  }
  return split(DATA_CATALOGUE_FILE_NAME, error);
}

/** Validator messages (`service "x" v2: form[0].name ...`) as problems of one file, each with its field. */
export function problemsIn(file: string, errors: readonly string[], raw?: unknown): FileProblem[] {
  return errors.map((error) => (file === DATA_CATALOGUE_FILE_NAME ? dataCatalogueProblem(error, raw) : split(file, error)));
}

function parse(file: CatalogueFile, problems: FileProblem[]): unknown {
  try {
    return JSON.parse(file.content) as unknown;
  } catch (error) {
    problems.push({ file: file.name, field: '(file)', message: `is not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * Validates a whole catalogue given as files: the data catalogue, then every service against it, then every bundle
 * against the services. Returns every problem, or the content, its services in id then version order.
 */
export function readCatalogueFiles(files: readonly CatalogueFile[]): { ok: true; value: CatalogueContent; dataCatalogue: DataCatalogue } | { ok: false; errors: FileProblem[] } {
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const services: Array<{ file: string; raw: unknown; id: string; version: number }> = [];
  const bundles: Array<{ file: string; raw: unknown; id: string; version: number }> = [];
  const calendars: CalendarYear[] = [];
  let dataRaw: unknown;
  for (const file of files) {
    if (seen.has(file.name)) {
      problems.push({ file: file.name, field: '(file)', message: 'is given twice' });
      continue;
    }
    seen.add(file.name);
    if (file.name === DATA_CATALOGUE_FILE_NAME) {
      dataRaw = parse(file, problems);
      continue;
    }
    const calendar = CALENDAR_FILE.exec(file.name);
    if (calendar) {
      const raw = parse(file, problems);
      if (raw === undefined) continue;
      const checked = validateCalendarYear(raw);
      if (!checked.ok) problems.push(...checked.errors.map((error) => split(file.name, error.replace(/^calendar [^:]*: /, ''))));
      else if (checked.value.region !== calendar[1] || checked.value.year !== Number(calendar[2])) {
        problems.push({ file: file.name, field: 'year', message: `holds ${checked.value.region}-${checked.value.year} and must be named calendars/${checked.value.region}-${checked.value.year}.json` });
      } else calendars.push(checked.value);
      continue;
    }
    const name = DEFINITION_FILE.exec(file.name);
    if (!name) {
      problems.push({ file: file.name, field: '(file)', message: `is not part of a catalogue: expected ${DATA_CATALOGUE_FILE_NAME}, services/<id>.v<version>.json, bundles/<id>.v<version>.json or calendars/<REGION>-<YEAR>.json` });
      continue;
    }
    const raw = parse(file, problems);
    if (raw === undefined) continue;
    const id = isRecord(raw) ? raw.id : undefined;
    const version = isRecord(raw) ? raw.version : undefined;
    if (id !== name[2] || version !== Number(name[3])) {
      problems.push({ file: file.name, field: id !== name[2] ? 'id' : 'version', message: `holds ${String(id)} v${String(version)} and must be named ${name[1]}/${String(id)}.v${String(version)}.json` });
      continue;
    }
    (name[1] === 'services' ? services : bundles).push({ file: file.name, raw, id: name[2]!, version: Number(name[3]) });
  }
  if (!seen.has(DATA_CATALOGUE_FILE_NAME)) problems.push({ file: DATA_CATALOGUE_FILE_NAME, field: '(file)', message: 'is missing: a catalogue needs its departments and data items' });
  if (dataRaw === undefined) return { ok: false, errors: problems };
  const built = buildDataCatalogue(dataRaw);
  if (!built.ok) {
    problems.push(...built.errors.map((error) => dataCatalogueProblem(error, dataRaw)));
    return { ok: false, errors: problems };
  }
  const catalogue = new ServiceCatalogue(built.value);
  const byIdThenVersion = (a: { id: string; version: number }, b: { id: string; version: number }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version);
  for (const service of services.sort(byIdThenVersion)) {
    const checked = validateServiceDefinition(service.raw, built.value);
    if (!checked.ok) problems.push(...checked.errors.map((error) => split(service.file, error)));
    else catalogue.admit(checked.value);
  }
  for (const bundle of bundles.sort(byIdThenVersion)) {
    const checked = validateBundleDefinition(bundle.raw, catalogue);
    if (!checked.ok) problems.push(...checked.errors.map((error) => split(bundle.file, error)));
    else catalogue.admitBundle(checked.value);
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  return {
    ok: true,
    dataCatalogue: built.value,
    value: {
      dataCatalogue: dataRaw as DataCatalogueDocument,
      services: services.map((s) => s.raw as ServiceDefinition),
      bundles: bundles.map((b) => b.raw as BundleDefinition),
      calendars,
    },
  };
}

/** The files of a catalogue, two-space JSON with a final newline, as the bundled files are written. */
export function catalogueFiles(content: CatalogueContent): CatalogueFile[] {
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    { name: DATA_CATALOGUE_FILE_NAME, content: text(content.dataCatalogue) },
    ...content.services.map((s) => ({ name: serviceFileName(s), content: text(s) })),
    ...content.bundles.map((b) => ({ name: bundleFileName(b), content: text(b) })),
    ...content.calendars.map((c) => ({ name: `calendars/${c.region}-${c.year}.json`, content: text(c) })),
  ];
}
