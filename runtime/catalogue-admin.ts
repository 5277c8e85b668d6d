/**
 * Changing the catalogue through the admin API: drafts, the review step, publication (a service needs a dry run of
 * that very draft, or an explicit override with a reason), and bulk import and export as files (catalogue-transfer.ts).
 * Every change is one commit of the catalogue store with its audit entries (who did what), guarded by the status the
 * administrator saw.
 */
import { createHash } from 'node:crypto';
import {
  buildDataCatalogue,
  CatalogueChangeError,
  CatalogueEntryNotFoundError,
  CatalogueStateError,
  problemsIn,
  serviceFileName,
  validateBundleDefinition,
  validateServiceDefinition,
  type FileProblem,
  type ReviewKind,
} from '../domain/catalogue/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { canonicalJson } from '../domain/json/canonical-json.ts';
import { validateCalendarYear } from '../domain/calendar/index.ts';
import type { LoadedYear } from '../adapters/files/index.ts';
import type { Clock } from '../domain/time/clock.ts';
import type { AuditEntry, AuditInput, CatalogueActor, CatalogueEntry, EntryGuard, EntryWrite } from '../domain/ports/catalogue-store.ts';
import { IdempotencyKeyReusedError } from '../workflows/index.ts';
import { CALENDAR_KIND, DUTIES_KIND, type CatalogueRepository, type ClerkDuties } from './catalogue-repository.ts';
import { catalogueTransfer, fileOf } from './catalogue-transfer.ts';

export const DRY_RUN_KIND = 'dry-run';

/** What a dry run leaves behind for publication to check: which definition it ran, and its totals. */
export interface DryRunRecord {
  serviceId: string;
  version: number;
  definitionHash: string;
  ranAt: string;
  by: CatalogueActor;
  [key: string]: unknown;
}

/** The details that make two catalogue changes the same request; the rest (totals, a withdrawn approval) may differ on a retry. */
const SAME_REQUEST_DETAILS = ['definitionHash', 'department', 'roles', 'reason', 'overrideReason'];

export const definitionHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

const label = (kind: ReviewKind, id: string, version: number) => (kind === 'data-catalogue' ? `data catalogue v${version}` : `${kind} "${id}" v${version}`);
/** Kinds whose documents carry no version of their own: the store numbers them. */
const numbered = (kind: ReviewKind) => kind === 'data-catalogue' || kind === 'calendar';
const byActor = (actor: CatalogueActor) => `${actor.kind}:${actor.id}`;

export interface Summary {
  kind: ReviewKind;
  id: string;
  /** The version in force, null before the first publication. */
  published: number | null;
  /** A version under review, if any. */
  open: { version: number; status: 'draft' | 'approved'; updatedAt: string; updatedBy: string } | null;
  name: unknown;
}

export function createCatalogueAdmin(options: { repository: CatalogueRepository; clock: Clock }) {
  const { repository, clock } = options;
  const store = repository.store;

  async function commit(change: { commandId: string; actor: CatalogueActor; guards: EntryGuard[]; writes: EntryWrite[]; removals?: EntryWrite[]; audit: AuditInput[] }) {
    const result = await store.commit({ ...change, at: clock.now() });
    if (!result.ok) throw new CatalogueStateError(`changed meanwhile: ${result.conflicts.join('; ')}`, 'changed-meanwhile');
    // The store answers a command id it has seen as a replay whatever the change: an Idempotency-Key sent again with
    // another definition, or on another route, would be told it was saved while nothing was.
    const [first] = change.audit;
    if (result.replayed && first) {
      const subject = change.audit.filter((entry) => entry.kind === first.kind && entry.id === first.id);
      if (!sameChange(await doneUnder(change.commandId, first), subject)) throw new IdempotencyKeyReusedError('catalogue');
    }
    await repository.refresh();
    return result;
  }

  /** The audit entries a command id left on the subject `like` names: what that command did. */
  async function doneUnder(commandId: string, like: Pick<AuditInput, 'kind' | 'id'>): Promise<AuditEntry[]> {
    return (await store.audit({ kind: like.kind, id: like.id })).filter((entry) => entry.commandId === commandId);
  }

  /** The same request: the same actions on the same versions of the same definitions (or duties, or import reason). */
  function sameChange(done: AuditEntry[], audit: AuditInput[]): boolean {
    const gist = (entry: AuditInput) => canonicalJson([entry.action, entry.kind, entry.id, entry.version, ...SAME_REQUEST_DETAILS.map((key) => entry.details[key] ?? null)]);
    return done.length === audit.length && done.every((entry, index) => gist(entry) === gist(audit[index]!));
  }

  /**
   * A retry of an approval, publication or discard that went through finds the entry no longer in the status it
   * needs; its own audit entry tells it was this command, which is then answered as the first time. Another command
   * under the same key on this subject is refused.
   */
  async function alreadyDone(commandId: string, kind: ReviewKind, id: string, version: number, actions: string[]): Promise<boolean> {
    const done = await doneUnder(commandId, { kind, id });
    if (done.length === 0) return false;
    if (done.some((entry) => entry.version === version && actions.includes(entry.action))) return true;
    throw new IdempotencyKeyReusedError('catalogue');
  }

  async function versionsOf(kind: ReviewKind, id: string): Promise<CatalogueEntry[]> {
    return (await store.entries({ kind, id })).sort((a, b) => a.version - b.version);
  }

  async function entryOf(kind: ReviewKind, id: string, version: number): Promise<CatalogueEntry> {
    const entry = await store.entry({ kind, id, version });
    if (!entry) throw new CatalogueEntryNotFoundError(`${label(kind, id, version)} does not exist`);
    return entry;
  }

  /** Every problem `raw` has as a definition of this kind, against the catalogue as it is now. */
  function problemsOf(kind: ReviewKind, id: string, version: number, raw: unknown): FileProblem[] {
    const file = fileOf(kind, id, version);
    if (kind === 'service') {
      const checked = validateServiceDefinition(raw, repository.dataCatalogue);
      return checked.ok ? [] : problemsIn(file, checked.errors);
    }
    if (kind === 'bundle') {
      const checked = validateBundleDefinition(raw, repository.catalogue);
      return checked.ok ? [] : problemsIn(file, checked.errors);
    }
    if (kind === 'calendar') {
      const checked = validateCalendarYear(raw);
      if (!checked.ok) return problemsIn(file, checked.errors);
      const named = `${checked.value.region}-${checked.value.year}`;
      return named === id ? [] : [{ file, field: 'year', message: `holds ${named}, not ${id}` }];
    }
    const built = buildDataCatalogue(raw);
    if (!built.ok) return problemsIn(file, built.errors, raw);
    // A new data catalogue must still serve every service in force: a removed item or department would strand them.
    const problems: FileProblem[] = [];
    for (const service of repository.catalogue.list()) {
      const checked = validateServiceDefinition(service, built.value);
      if (!checked.ok) problems.push(...problemsIn(serviceFileName(service), checked.errors));
    }
    return problems;
  }

  function identity(kind: ReviewKind, id: string, raw: unknown, open: CatalogueEntry | undefined, latest: number): number {
    if (numbered(kind)) return open?.version ?? latest + 1;
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; version?: unknown };
    const file = fileOf(kind, id, typeof body.version === 'number' ? body.version : latest + 1);
    if (body.id !== id) throw new CatalogueChangeError(`the definition is not ${kind} "${id}"`, [{ file, field: 'id', message: `must be "${id}", the id in the path, got ${JSON.stringify(body.id)}` }]);
    if (typeof body.version !== 'number' || !Number.isInteger(body.version) || body.version <= latest) {
      throw new CatalogueChangeError(`a new version of ${kind} "${id}" must be above v${latest}`, [{ file, field: 'version', message: `must be a whole number above the published v${latest}, got ${JSON.stringify(body.version)}` }]);
    }
    return body.version;
  }

  return {
    /** One line per service, bundle or the data catalogue: the version in force and the one under review. */
    async list(kind: ReviewKind): Promise<Summary[]> {
      const entries = await store.entries({ kind });
      const byId = new Map<string, Summary>();
      for (const entry of entries) {
        const summary = byId.get(entry.id) ?? { kind, id: entry.id, published: null, open: null, name: null };
        if (entry.status === 'published' && entry.version > (summary.published ?? 0)) {
          summary.published = entry.version;
          summary.name = (entry.body as { name?: unknown }).name ?? null;
        }
        if (entry.status === 'draft' || entry.status === 'approved') {
          summary.open = { version: entry.version, status: entry.status, updatedAt: entry.updatedAt, updatedBy: entry.updatedBy };
          summary.name ??= (entry.body as { name?: unknown }).name ?? null;
        }
        byId.set(entry.id, summary);
      }
      return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    },

    versions: versionsOf,
    entry: entryOf,

    /** Saves a draft (a new one, or edits the open one: an approved version edited goes back to draft). */
    async saveDraft(kind: ReviewKind, id: string, raw: unknown, actor: CatalogueActor, commandId: string): Promise<CatalogueEntry> {
      await repository.refresh();
      const versions = await versionsOf(kind, id);
      const latest = Math.max(0, ...versions.filter((v) => v.status === 'published').map((v) => v.version));
      const open = versions.find((v) => v.status === 'draft' || v.status === 'approved');
      const version = identity(kind, id, raw, open, latest);
      if (open && open.version !== version) {
        throw new CatalogueStateError(`${label(kind, id, open.version)} is under review (${open.status}): edit or discard it first`, 'another-version-open');
      }
      const problems = problemsOf(kind, id, version, raw);
      if (problems.length > 0) throw new CatalogueChangeError(`${label(kind, id, version)} is not valid`, problems);
      await commit({
        commandId,
        actor,
        guards: [{ kind, id, version, status: open?.status ?? null }],
        writes: [{ kind, id, version, status: 'draft', body: raw }],
        audit: [{ action: 'draft-saved', kind, id, version, details: { definitionHash: definitionHash(raw), ...(open?.status === 'approved' ? { approvalWithdrawn: true } : {}) } }],
      });
      return entryOf(kind, id, version);
    },

    async discard(kind: ReviewKind, id: string, version: number, actor: CatalogueActor, commandId: string): Promise<void> {
      if (await alreadyDone(commandId, kind, id, version, ['draft-discarded'])) return;
      const entry = await entryOf(kind, id, version);
      if (entry.status === 'published') throw new CatalogueStateError(`${label(kind, id, version)} is published and stays`, 'published');
      await commit({ commandId, actor, guards: [{ kind, id, version, status: entry.status }], writes: [], removals: [entry], audit: [{ action: 'draft-discarded', kind, id, version, details: {} }] });
    },

    /** Four eyes: the administrator who last edited a draft cannot approve it. */
    async approve(kind: ReviewKind, id: string, version: number, actor: CatalogueActor, commandId: string): Promise<CatalogueEntry> {
      await repository.refresh();
      if (await alreadyDone(commandId, kind, id, version, ['approved'])) return entryOf(kind, id, version);
      const entry = await entryOf(kind, id, version);
      if (entry.status !== 'draft') throw new CatalogueStateError(`${label(kind, id, version)} is ${entry.status}; only a draft is approved`, `is-${entry.status}`);
      if (entry.updatedBy === byActor(actor)) throw new CatalogueStateError(`${label(kind, id, version)} was last edited by you: another administrator approves it`, 'four-eyes');
      const problems = problemsOf(kind, id, version, entry.body);
      if (problems.length > 0) throw new CatalogueChangeError(`${label(kind, id, version)} no longer validates`, problems);
      await commit({
        commandId,
        actor,
        guards: [{ kind, id, version, status: 'draft', seq: entry.seq }],
        writes: [{ kind, id, version, status: 'approved', body: entry.body }],
        audit: [{ action: 'approved', kind, id, version, details: { definitionHash: definitionHash(entry.body), author: entry.updatedBy } }],
      });
      return entryOf(kind, id, version);
    },

    /**
     * Puts an approved version in force. A service needs a dry run of this very definition first, or an override
     * whose reason is recorded in the audit trail.
     */
    async publish(kind: ReviewKind, id: string, version: number, actor: CatalogueActor, commandId: string, override?: { reason: string }): Promise<CatalogueEntry> {
      await repository.refresh();
      if (await alreadyDone(commandId, kind, id, version, ['published', 'publish-override'])) return entryOf(kind, id, version);
      const entry = await entryOf(kind, id, version);
      if (entry.status !== 'approved') throw new CatalogueStateError(`${label(kind, id, version)} is ${entry.status}; only an approved version is published`, `is-${entry.status}`);
      const latest = kind === 'service' ? repository.latest(id)?.version : kind === 'bundle' ? repository.catalogue.bundle(id)?.version : undefined;
      if (latest !== undefined && version <= latest) throw new CatalogueStateError(`v${latest} of ${kind} "${id}" is in force; v${version} would go back`, 'version-behind');
      const problems = problemsOf(kind, id, version, entry.body);
      if (problems.length > 0) throw new CatalogueChangeError(`${label(kind, id, version)} no longer validates`, problems);
      const hash = definitionHash(entry.body);
      const audit: AuditInput[] = [];
      if (kind === 'service') {
        const dryRun = await store.entry({ kind: DRY_RUN_KIND, id, version });
        const ran = dryRun && (dryRun.body as DryRunRecord).definitionHash === hash;
        if (!ran && !override) {
          throw new CatalogueStateError(`${label(kind, id, version)} has no dry run of this definition: run one (POST .../dry-run) or publish with an override and its reason`, 'dry-run-required');
        }
        if (!ran && override) audit.push({ action: 'publish-override', kind, id, version, details: { reason: override.reason, definitionHash: hash } });
        if (ran) audit.push({ action: 'published', kind, id, version, details: { definitionHash: hash, dryRunAt: (dryRun.body as DryRunRecord).ranAt } });
      }
      if (audit.length === 0) audit.push({ action: 'published', kind, id, version, details: { definitionHash: hash, ...(override ? { overrideReason: override.reason } : {}) } });
      await commit({ commandId, actor, guards: [{ kind, id, version, status: 'approved', seq: entry.seq }], writes: [{ kind, id, version, status: 'published', body: entry.body }], audit });
      return entryOf(kind, id, version);
    },

    /**
     * Publishes each holiday file of CALENDAR_DIR whose content the store has never held (a new year's arrangement
     * dropped in), audited as the calendar folder; a file equal to any earlier version is not published again, so a
     * process with an older folder cannot undo an administrator's change. One commit, named by the contents, so
     * processes syncing the same folder at once publish it once.
     */
    async syncCalendarFiles(files: LoadedYear[]): Promise<string[]> {
      await repository.refresh();
      const known = await store.entries({ kind: CALENDAR_KIND });
      const writes: EntryWrite[] = [];
      for (const { year } of files) {
        const id = `${year.region}-${year.year}`;
        const versions = known.filter((e) => e.id === id);
        if (versions.some((v) => canonicalJson(v.body) === canonicalJson(year))) continue;
        writes.push({ kind: CALENDAR_KIND, id, version: Math.max(0, ...versions.map((v) => v.version)) + 1, status: 'published', body: year });
      }
      if (writes.length === 0) {
        // Nothing left to publish may mean another process published these files since the refresh above: read what
        // it wrote, or this process builds its calendars without those years (no holidays at all).
        await repository.refresh();
        return [];
      }
      const published = writes.map((w) => `${w.id}@${w.version}`);
      await commit({
        commandId: `calendar-files-${definitionHash(writes.map((w) => [w.id, w.version, w.body]))}`,
        actor: { kind: 'system', id: 'calendar-dir' },
        guards: writes.map((w) => ({ kind: w.kind, id: w.id, version: w.version, status: null })),
        writes,
        audit: writes.map((w) => ({ action: 'calendar-file-published', kind: CALENDAR_KIND, id: w.id, version: w.version, details: { definitionHash: definitionHash(w.body) } })),
      }).catch(async (error: unknown) => {
        // Another process published the same files first: what it wrote is what we would have. Read it, or this
        // process would build its calendars without the years the other one just published (no holidays at all).
        if (!(error instanceof CatalogueStateError)) throw error;
        await repository.refresh();
      });
      return published;
    },

    /** Keeps a dry run's totals beside the draft, for publication to check and the pages to show. */
    async recordDryRun(record: DryRunRecord, actor: CatalogueActor, commandId: string): Promise<void> {
      await commit({
        commandId,
        actor,
        guards: [],
        writes: [{ kind: DRY_RUN_KIND, id: record.serviceId, version: record.version, status: 'recorded', body: record }],
        audit: [{ action: 'dry-run', kind: 'service', id: record.serviceId, version: record.version, details: { definitionHash: record.definitionHash, totals: record.totals ?? null } }],
      });
    },

    async lastDryRun(serviceId: string, version: number): Promise<DryRunRecord | null> {
      return ((await store.entry({ kind: DRY_RUN_KIND, id: serviceId, version }))?.body as DryRunRecord | undefined) ?? null;
    },

    audit: (query: { kind?: string; id?: string; limit?: number }) => store.audit(query),

    /**
     * Records a clerk's department and duties; from then on they decide what the clerk may do, whatever an older
     * token says (a duty withdrawn takes effect within the refresh time, not at the token's expiry).
     */
    async setDuties(duties: ClerkDuties, actor: CatalogueActor, commandId: string): Promise<ClerkDuties> {
      await repository.refresh();
      const department = repository.dataCatalogue.department(duties.department);
      if (!department || department.code === 'ERRAND') {
        throw new CatalogueChangeError(`clerk ${duties.staffId}'s duties were not recorded`, [{ file: 'duties', field: 'department', message: `"${duties.department}" is not a department that handles cases` }]);
      }
      const clean: ClerkDuties = { staffId: duties.staffId, department: duties.department, roles: [...new Set(duties.roles)].sort(), ...(duties.name ? { name: duties.name } : {}) };
      await commit({
        commandId,
        actor,
        guards: [],
        writes: [{ kind: DUTIES_KIND, id: duties.staffId, version: 1, status: 'recorded', body: clean }],
        audit: [{ action: 'duties-set', kind: DUTIES_KIND, id: duties.staffId, version: null, details: { department: clean.department, roles: clean.roles } }],
      });
      return clean;
    },

    /** The clerk's token decides again. */
    async removeDuties(staffId: string, actor: CatalogueActor, commandId: string): Promise<void> {
      await repository.refresh();
      if (!repository.duties(staffId)) throw new CatalogueEntryNotFoundError(`no duties recorded for clerk ${staffId}`);
      await commit({
        commandId,
        actor,
        guards: [],
        writes: [{ kind: DUTIES_KIND, id: staffId, version: 1, status: 'recorded', body: { removed: true } }],
        audit: [{ action: 'duties-removed', kind: DUTIES_KIND, id: staffId, version: null, details: {} }],
      });
    },

    ...catalogueTransfer(repository, commit),
  };
}

export type CatalogueAdmin = ReturnType<typeof createCatalogueAdmin>;
export type { ServiceDefinition };
