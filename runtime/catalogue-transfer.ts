/**
 * The catalogue as files, out and in: export of everything in force, and bulk import validated all or nothing. Part
 * of the catalogue admin (runtime/catalogue-admin.ts), which gives it its one idempotent commit.
 */
import {
  bundleFileName,
  catalogueFiles,
  CatalogueChangeError,
  DATA_CATALOGUE_FILE_NAME,
  problemsIn,
  readCatalogueFiles,
  serviceFileName,
  validateServiceDefinition,
  type CatalogueFile,
  type DataCatalogueDocument,
  type FileProblem,
  type ReviewKind,
} from '../domain/catalogue/index.ts';
import type { BundleDefinition } from '../domain/catalogue/index.ts';
import { canonicalJson } from '../domain/json/canonical-json.ts';
import type { AuditInput, CatalogueActor, EntryGuard, EntryWrite } from '../domain/ports/catalogue-store.ts';
import { CALENDAR_KIND, DATA_CATALOGUE_ID, type CatalogueRepository } from './catalogue-repository.ts';

/** The file a definition of this kind lives in, in an export and in problems named by file. */
export const fileOf = (kind: ReviewKind, id: string, version: number) =>
  kind === 'service' ? serviceFileName({ id, version }) : kind === 'bundle' ? bundleFileName({ id, version }) : kind === 'calendar' ? `calendars/${id}.json` : DATA_CATALOGUE_FILE_NAME;

type Commit = (change: { commandId: string; actor: CatalogueActor; guards: EntryGuard[]; writes: EntryWrite[]; audit: AuditInput[] }) => Promise<unknown>;

export function catalogueTransfer(repository: CatalogueRepository, commit: Commit) {
  const store = repository.store;

  /** Every published version of every service and bundle, and the data catalogue in force, as files. */
  async function exportFiles(): Promise<CatalogueFile[]> {
    await repository.refresh();
    const services = repository.catalogue.list().flatMap((s) => repository.catalogue.versions(s.id));
    const bundles = (await store.entries({ kind: 'bundle', status: ['published'] })).map((e) => e.body as BundleDefinition).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version));
    const data = (await store.entries({ kind: DATA_CATALOGUE_ID, status: ['published'] })).at(-1)!.body as DataCatalogueDocument;
    const calendars = repository.calendarYears().map((c) => c.year).sort((x, y) => (`${x.region}-${x.year}` < `${y.region}-${y.year}` ? -1 : 1));
    return catalogueFiles({ dataCatalogue: data, services, bundles, calendars });
  }

  /**
   * A whole catalogue as files: validated all or nothing, every problem named by file and field. Versions already
   * published must be given unchanged; new versions are published, with the administrator's reason in the trail.
   * A refused import writes nothing.
   */
  async function importFiles(files: CatalogueFile[], reason: string, actor: CatalogueActor, commandId: string) {
    await repository.refresh();
    const read = readCatalogueFiles(files);
    if (!read.ok) throw new CatalogueChangeError('the catalogue was not imported', read.errors);
    const problems: FileProblem[] = [];
    const writes: EntryWrite[] = [];
    const guards: EntryGuard[] = [];
    const known = await store.entries({});
    const find = (kind: string, id: string, version: number) => known.find((e) => e.kind === kind && e.id === id && e.version === version);
    const newest = (kind: string, id: string) => Math.max(0, ...known.filter((e) => e.kind === kind && e.id === id && e.status === 'published').map((e) => e.version));
    const consider = (kind: 'service' | 'bundle', def: { id: string; version: number }) => {
      const file = fileOf(kind, def.id, def.version);
      const existing = find(kind, def.id, def.version);
      if (existing?.status === 'published') {
        if (canonicalJson(existing.body) !== canonicalJson(def)) problems.push({ file, field: '(file)', message: `differs from the published ${kind} "${def.id}" v${def.version}, which never changes: give the change a new version` });
        return;
      }
      if (existing) problems.push({ file, field: 'version', message: `v${def.version} is under review (${existing.status}): finish or discard that draft first` });
      else if (def.version <= newest(kind, def.id)) problems.push({ file, field: 'version', message: `v${def.version} is below the published v${newest(kind, def.id)}` });
      writes.push({ kind, id: def.id, version: def.version, status: 'published', body: def });
      guards.push({ kind, id: def.id, version: def.version, status: null });
    };
    for (const def of read.value.services) consider('service', def);
    for (const def of read.value.bundles) consider('bundle', def);
    const dataVersions = known.filter((e) => e.kind === DATA_CATALOGUE_ID);
    const dataInForce = dataVersions.filter((e) => e.status === 'published').at(-1);
    let dataVersion: number | null = null;
    if (!dataInForce || canonicalJson(dataInForce.body) !== canonicalJson(read.value.dataCatalogue)) {
      dataVersion = Math.max(0, ...dataVersions.map((e) => e.version)) + 1;
      writes.push({ kind: DATA_CATALOGUE_ID, id: DATA_CATALOGUE_ID, version: dataVersion, status: 'published', body: read.value.dataCatalogue });
      guards.push({ kind: DATA_CATALOGUE_ID, id: DATA_CATALOGUE_ID, version: dataVersion, status: null });
      // Services in force that the import leaves out must still validate against the imported data catalogue.
      for (const service of repository.catalogue.list()) {
        if (read.value.services.some((s) => s.id === service.id)) continue;
        const checked = validateServiceDefinition(service, read.dataCatalogue);
        if (!checked.ok) problems.push(...problemsIn(serviceFileName(service), checked.errors).map((p) => ({ ...p, message: `${p.message} (in force, not in the import)` })));
      }
    }
    if (problems.length > 0) throw new CatalogueChangeError('the catalogue was not imported', problems);
    // A holiday arrangement that differs from the one in force becomes its next version.
    for (const year of read.value.calendars) {
      const id = `${year.region}-${year.year}`;
      const versions = known.filter((e) => e.kind === CALENDAR_KIND && e.id === id);
      const inForce = versions.filter((e) => e.status === 'published').at(-1);
      if (inForce && canonicalJson(inForce.body) === canonicalJson(year)) continue;
      const version = Math.max(0, ...versions.map((e) => e.version)) + 1;
      writes.push({ kind: CALENDAR_KIND, id, version, status: 'published', body: year });
      guards.push({ kind: CALENDAR_KIND, id, version, status: null });
    }
    const published = writes.filter((w) => w.kind !== DATA_CATALOGUE_ID).map((w) => `${w.kind}:${w.id}@${w.version}`);
    if (writes.length > 0) {
      await commit({
        commandId,
        actor,
        guards,
        writes,
        audit: [{ action: 'imported', kind: 'catalogue', id: 'import', version: null, details: { reason, files: files.length, published, dataCatalogueVersion: dataVersion } }],
      });
    }
    return { files: files.length, published, dataCatalogueVersion: dataVersion, unchanged: writes.length === 0 };
  }

  return { exportFiles, importFiles };
}
