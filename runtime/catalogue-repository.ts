import { buildDataCatalogue, readCatalogueFiles, ServiceCatalogue, type CatalogueFile, type DataCatalogue } from '../domain/catalogue/index.ts';
import type { BundleDefinition, ServiceDefinition } from '../domain/catalogue/index.ts';
import { CatalogueError } from '../domain/catalogue/index.ts';
import type { Clock } from '../domain/time/clock.ts';
import type { CatalogueStore, EntryWrite } from '../domain/ports/catalogue-store.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { LoadedYear } from '../adapters/files/index.ts';
import type { CalendarYear } from '../domain/calendar/index.ts';
import { canonicalJson } from '../domain/json/canonical-json.ts';
import { createHash } from 'node:crypto';

/** Where catalogue changes were kept before the catalogue store: read once, when a store is seeded. */
export const CATALOGUE_STREAM = 'catalogue';
export const SERVICE_VERSION_PUBLISHED = 'ServiceVersionPublished';
export const DATA_CATALOGUE_ID = 'data-catalogue';
export const SYSTEM_ACTOR = { kind: 'system', id: 'errand' };
export const DUTIES_KIND = 'duties';
export const CALENDAR_KIND = 'calendar';

/** A clerk's department and duties (intake, reviewer, approver), kept by the administrator. */
export interface ClerkDuties {
  staffId: string;
  department: string;
  roles: string[];
  name?: string;
}

/**
 * The catalogue every process runs on: the published entries of the catalogue store (services, bundles, the data
 * catalogue), folded in sequence order into one ServiceCatalogue and one data catalogue. The bundled demo files
 * only seed an empty store. Versions only grow, so a running case keeps the service version it was opened with
 * (get(id, version)) and new cases take latest(id). Each process reads what it has not seen yet at most every
 * `refreshAfterMs`, so a version published through one API process is in force in all within that time.
 */
export function createCatalogueRepository(options: {
  store: CatalogueStore;
  /** The bundled catalogue, for a first start. */
  seedFiles: () => CatalogueFile[];
  /** Versions published into the event log by code from before the store; adopted when seeding. */
  eventStore?: EventStore;
  clock: Clock;
  refreshAfterMs?: number;
}) {
  const { store } = options;
  let data: DataCatalogue | null = null;
  const current = (): DataCatalogue => {
    if (!data) throw new Error('the catalogue is not open yet');
    return data;
  };
  /** Every holder (projectors, evidence, validation) sees a newly published data catalogue through this one object. */
  const dataCatalogue: DataCatalogue = {
    get: (id) => current().get(id),
    list: () => current().list(),
    department: (code) => current().department(code),
    departments: () => current().departments(),
    providedBy: (code) => current().providedBy(code),
  };
  const catalogue = new ServiceCatalogue(dataCatalogue);
  let seq = 0;
  let refreshedAt = 0;
  /** Clerks' duties by staff id, as the administrator recorded them (a removal is a tombstone). */
  const duties = new Map<string, ClerkDuties>();
  /** Each region-year's arrangement in force ("CN-2026"), with a digest of it for the calendar's version. */
  const calendars = new Map<string, LoadedYear>();

  async function refresh(): Promise<void> {
    const entries = await store.entries({ status: ['published', 'recorded'], afterSeq: seq });
    for (const entry of entries) {
      // Refreshes overlap (requests, the follower, admin commands) and may answer out of order: a read taken before
      // a later one was folded holds older rows (a duty since withdrawn, a data catalogue since replaced).
      if (entry.seq <= seq) continue;
      if (entry.status === 'recorded') {
        if (entry.kind === DUTIES_KIND) {
          const body = entry.body as ClerkDuties | { removed: true };
          if ('removed' in body) duties.delete(entry.id);
          else duties.set(entry.id, body);
        }
        seq = Math.max(seq, entry.seq);
        continue;
      }
      if (entry.kind === DATA_CATALOGUE_ID) {
        const built = buildDataCatalogue(entry.body);
        if (!built.ok) throw new CatalogueError(`catalogue store: data catalogue v${entry.version}`, built.errors);
        data = built.value;
      } else if (entry.kind === 'service') {
        catalogue.admit(entry.body as ServiceDefinition);
      } else if (entry.kind === 'bundle') {
        catalogue.admitBundle(entry.body as BundleDefinition);
      } else if (entry.kind === CALENDAR_KIND) {
        calendars.set(entry.id, { year: entry.body as CalendarYear, sha256: createHash('sha256').update(canonicalJson(entry.body)).digest('hex') });
      }
      seq = Math.max(seq, entry.seq);
    }
    refreshedAt = Date.now();
  }

  /** An empty store gets the bundled files (and any versions published into the event log before the store). */
  async function seed(): Promise<void> {
    if ((await store.head()) > 0) return;
    const files = options.seedFiles();
    const legacy: ServiceDefinition[] = [];
    if (options.eventStore) {
      for (const event of await options.eventStore.readStream(CATALOGUE_STREAM)) {
        if (event.type === SERVICE_VERSION_PUBLISHED) legacy.push(event.data.definition as unknown as ServiceDefinition);
      }
    }
    const read = readCatalogueFiles(files);
    if (!read.ok) throw new CatalogueError('bundled catalogue', read.errors.map((e) => `${e.file}: ${e.field} ${e.message}`));
    const services = [...read.value.services];
    for (const def of legacy) if (!services.some((s) => s.id === def.id && s.version === def.version)) services.push(def);
    const writes: EntryWrite[] = [
      { kind: DATA_CATALOGUE_ID, id: DATA_CATALOGUE_ID, version: 1, status: 'published', body: read.value.dataCatalogue },
      ...services.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version)).map((s) => ({ kind: 'service', id: s.id, version: s.version, status: 'published' as const, body: s })),
      ...read.value.bundles.map((b) => ({ kind: 'bundle', id: b.id, version: b.version, status: 'published' as const, body: b })),
    ];
    // Two processes starting on one empty database: the guard lets one seed; the other finds the store seeded.
    await store.commit({
      commandId: 'catalogue-seed',
      actor: SYSTEM_ACTOR,
      at: options.clock.now(),
      guards: [{ kind: DATA_CATALOGUE_ID, id: DATA_CATALOGUE_ID, version: 1, status: null }],
      writes,
      audit: [{ action: 'seeded', kind: 'catalogue', id: 'bundled', version: null, details: { services: services.length, bundles: read.value.bundles.length, adoptedFromEventLog: legacy.length } }],
    });
  }

  return {
    store,
    catalogue,
    dataCatalogue,
    /** Seeds an empty store, then reads it: call once before serving. */
    async open(): Promise<void> {
      await seed();
      await refresh();
      if (!data) throw new Error('the catalogue store holds no published data catalogue');
    },
    refresh,
    /**
     * Reads the store now unless this version is held: a case drafted through another process right after a
     * publication there names a version this process would otherwise learn only at its next refresh.
     */
    async ensureService(serviceId: string, version: number): Promise<void> {
      if (!catalogue.get(serviceId, version)) await refresh();
    },
    /** Cheap enough to call before each command: reads only entries not yet seen, at most so often. */
    async ensureFresh(): Promise<void> {
      if (Date.now() - refreshedAt >= (options.refreshAfterMs ?? 2000)) await refresh();
    },
    /** The duties recorded for a clerk, when the administrator recorded any: they decide department and roles. */
    duties(staffId: string): ClerkDuties | undefined {
      return duties.get(staffId);
    },
    /** The holiday arrangements in force, one per region and year. */
    calendarYears(): LoadedYear[] {
      return [...calendars.values()];
    },
    allDuties(): ClerkDuties[] {
      return [...duties.values()].sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
    },
    get(id: string, version: number): ServiceDefinition | undefined {
      return catalogue.get(id, version);
    },
    latest(id: string): ServiceDefinition | undefined {
      return catalogue.latest(id);
    },
  };
}

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;
