/**
 * The catalogue as the city runs it, through the admin API: browse every version, draft, approve (another
 * administrator), dry-run and publish; import and export the whole catalogue as files; read who did what.
 */
import type { Engine } from '../../runtime/engine.ts';
import type { CatalogueEntry } from '../../domain/ports/catalogue-store.ts';
import { DATA_CATALOGUE_ID } from '../../runtime/catalogue-repository.ts';
import type { DataCatalogueDocument, ReviewKind } from '../../domain/catalogue/index.ts';
import type { CatalogueChangeError, CatalogueStateError } from '../../domain/catalogue/index.ts';
import { conflict, defineRoute, notFound, unprocessable } from '../http/index.ts';
import { registerErrorMapping } from '../http/index.ts';
import { createCatalogueDryRun, type CaseFinder } from '../../runtime/catalogue-dry-run.ts';
import { recordAccess } from './access-log.ts';
import type { Views } from './views.ts';
import { KIND_PATHS, auditSchema, definitionBody, dryRunSchema, dutiesSchema, entrySchema, filesSchema, idParam, kindParam, problems, staffParams, summarySchema, versionParam, type KindParams, type KindPath, type VersionParams } from './catalogue.schemas.ts';

registerErrorMapping('CATALOGUE_CHANGE_INVALID', (error) => {
  const { detail, errors } = error as unknown as CatalogueChangeError;
  return unprocessable(`${detail}: ${errors.length} problem${errors.length === 1 ? '' : 's'}, each named by file and field`, {
    slug: 'catalogue-invalid',
    title: 'Catalogue change refused',
    extensions: { errors: errors.map((e) => ({ path: `${e.file}: ${e.field}`, ...e })) },
  });
});
registerErrorMapping('CATALOGUE_STATE', (error) =>
  conflict(error.message, { slug: 'catalogue-state', title: 'Not allowed in this review status', extensions: { reason: (error as unknown as CatalogueStateError).reason } }),
);
registerErrorMapping('CATALOGUE_NOT_FOUND', (error) => notFound(error.message, { slug: 'catalogue-not-found' }));

const shown = (entry: CatalogueEntry) => ({
  kind: entry.kind,
  id: entry.id,
  version: entry.version,
  status: entry.status,
  body: entry.body,
  updatedAt: entry.updatedAt,
  updatedBy: entry.updatedBy,
});

/** A service's cases from the case view, by case id (keyset pages): the dry run then reads each one's events. */
function caseFinder(views: Views): CaseFinder {
  return async function* (serviceId, since) {
    let after = '';
    for (;;) {
      const where: Record<string, unknown> = { serviceId, caseId: { gt: after } };
      if (since) where.draftedAt = { gte: since };
      const page = await views.find('caseView', { where: where as never, orderBy: [{ field: 'caseId', direction: 'asc' }], limit: 500 });
      const ids = page.items.map((doc) => String((doc as { caseId: unknown }).caseId));
      if (ids.length === 0) return;
      yield ids;
      after = ids.at(-1)!;
    }
  };
}

export function catalogueRoutes(engine: Engine, views: Views) {
  const admin = engine.catalogueAdmin;
  const dryRun = createCatalogueDryRun({
    eventStore: engine.stores.eventStore,
    repository: engine.catalogue,
    admin,
    calendar: engine.calendar,
    clock: engine.clock,
    findCases: caseFinder(views),
  });
  const who = (actor: { kind: string; id: string }) => ({ kind: actor.kind, id: actor.id });
  const kindOf = (path: KindPath): ReviewKind => KIND_PATHS[path];
  /** The data catalogue an edit of one department or item starts from: the open draft, else the one in force. */
  async function dataCatalogueBase(): Promise<DataCatalogueDocument> {
    const versions = await admin.versions('data-catalogue', DATA_CATALOGUE_ID);
    const open = versions.find((v) => v.status === 'draft' || v.status === 'approved');
    return structuredClone((open ?? versions.filter((v) => v.status === 'published').at(-1)!).body as DataCatalogueDocument);
  }
  return [
    defineRoute<{ kind: KindPath }, Record<string, never>, unknown>({
      method: 'get',
      path: '/admin/catalogue/:kind',
      summary: 'Every service, bundle or the data catalogue: the version in force and the one under review',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind'], properties: { kind: kindParam } },
      responses: { 200: { description: 'One line per id', schema: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: summarySchema } } } } },
      handler: async (ctx) => ({ status: 200, body: { items: await admin.list(kindOf(ctx.params.kind)) } }),
    }),
    defineRoute<KindParams, Record<string, never>, unknown>({
      method: 'get',
      path: '/admin/catalogue/:kind/:id',
      summary: 'Every version of one service, bundle or the data catalogue, with its review status',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind', 'id'], properties: { kind: kindParam, id: idParam } },
      responses: {
        200: { description: 'Versions, oldest first', schema: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: entrySchema } } } },
        404: { description: 'No such id' },
      },
      handler: async (ctx) => {
        const versions = await admin.versions(kindOf(ctx.params.kind), ctx.params.id);
        if (versions.length === 0) throw notFound(`no ${kindOf(ctx.params.kind)} "${ctx.params.id}" in the catalogue`, { slug: 'catalogue-not-found' });
        return { status: 200, body: { items: versions.map(shown) } };
      },
    }),
    defineRoute<KindParams, Record<string, never>, unknown>({
      method: 'put',
      path: '/admin/catalogue/:kind/:id/draft',
      summary: 'Save a draft: a new version (above the one in force), or an edit of the one under review (an approved one goes back to draft)',
      description: 'Validated as a publication would be: the published JSON Schema, then the references (departments, data items, sharing, materials). The data catalogue is also checked against every service in force.',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind', 'id'], properties: { kind: kindParam, id: idParam } },
      body: definitionBody,
      responses: { 200: { description: 'The draft', schema: entrySchema }, 409: { description: 'Another version is under review' }, 422: problems('The definition does not validate') },
      handler: async (ctx) => ({ status: 200, body: shown(await admin.saveDraft(kindOf(ctx.params.kind), ctx.params.id, ctx.body, who(ctx.actor()), ctx.commandId)) }),
    }),
    defineRoute<VersionParams, Record<string, never>, unknown>({
      method: 'delete',
      path: '/admin/catalogue/:kind/:id/versions/:version',
      summary: 'Discard a draft or an approved version not yet published',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind', 'id', 'version'], properties: { kind: kindParam, id: idParam, version: versionParam } },
      responses: { 204: { description: 'Discarded' }, 404: { description: 'No such version' }, 409: { description: 'Published versions stay' } },
      handler: async (ctx) => {
        await admin.discard(kindOf(ctx.params.kind), ctx.params.id, Number(ctx.params.version), who(ctx.actor()), ctx.commandId);
        return { status: 204 };
      },
    }),
    defineRoute<VersionParams, Record<string, never>, Record<string, never>>({
      method: 'post',
      path: '/admin/catalogue/:kind/:id/versions/:version/approve',
      summary: 'Approve a draft; the administrator who last edited it cannot (four eyes)',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind', 'id', 'version'], properties: { kind: kindParam, id: idParam, version: versionParam } },
      body: { type: 'object', additionalProperties: false, properties: {} },
      responses: { 200: { description: 'Approved', schema: entrySchema }, 404: { description: 'No such version' }, 409: { description: 'Not a draft, or your own edit' }, 422: problems('It no longer validates') },
      handler: async (ctx) => ({ status: 200, body: shown(await admin.approve(kindOf(ctx.params.kind), ctx.params.id, Number(ctx.params.version), who(ctx.actor()), ctx.commandId)) }),
    }),
    defineRoute<VersionParams, Record<string, never>, { override?: { reason: string } }>({
      method: 'post',
      path: '/admin/catalogue/:kind/:id/versions/:version/publish',
      summary: 'Publish an approved version: new cases take it, running cases keep theirs',
      description: 'A service version needs a dry run of this very definition first (POST .../dry-run), or an override whose reason goes into the audit trail.',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['kind', 'id', 'version'], properties: { kind: kindParam, id: idParam, version: versionParam } },
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { override: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 10, maxLength: 500, description: 'Why this version goes out without a dry run' } } } },
      },
      responses: { 200: { description: 'Published', schema: entrySchema }, 404: { description: 'No such version' }, 409: { description: 'Not approved, no dry run of it, or a later version is in force' }, 422: problems('It no longer validates') },
      handler: async (ctx) => {
        const entry = await admin.publish(kindOf(ctx.params.kind), ctx.params.id, Number(ctx.params.version), who(ctx.actor()), ctx.commandId, ctx.body.override);
        // A holiday arrangement moves due dates: this process rescans now (open cases are recomputed by the worker
        // that does); the others at their next CALENDAR_RESCAN_MS.
        if (entry.kind === 'calendar') void engine.calendars.rescan().catch((error: unknown) => engine.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'calendar rescan after publication failed'));
        return { status: 200, body: shown(entry) };
      },
    }),
    defineRoute<{ id: string; version: string }, Record<string, never>, { months?: number; listed?: number }>({
      method: 'post',
      path: '/admin/catalogue/services/:id/versions/:version/dry-run',
      summary: 'Dry run: replay the cases of the last N months (or all) of the service through this draft, read-only, and report per case what would differ',
      description:
        'Reads each case\'s events and works out, without writing anything to any case: instant-approval decisions the draft\'s rule would have taken differently, ' +
        'materials that would have been missing, due dates that would have moved, departments that would have been asked. The totals and the first differing ' +
        'cases are kept with the draft; publishing the draft needs a dry run of this very definition (or an override).',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['id', 'version'], properties: { id: idParam, version: versionParam } },
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          months: { type: 'integer', minimum: 1, maximum: 600, description: 'Only cases drafted in the last so many months; absent: every case' },
          listed: { type: 'integer', minimum: 0, maximum: 5000, default: 1000, description: 'How many differing cases to list' },
        },
      },
      responses: { 200: { description: 'What would differ, per case and in total', schema: dryRunSchema }, 404: { description: 'No such draft' }, 409: { description: 'The version is published already' } },
      handler: async (ctx) => {
        const actor = ctx.actor();
        const serviceId = ctx.params.id;
        const version = Number(ctx.params.version);
        const recordShown = async (shown: Array<{ caseId: string; applicant: { type: 'person' | 'enterprise'; id: string } }>) => {
          for (let i = 0; i < shown.length; i += 8) {
            await Promise.all(shown.slice(i, i + 8).map(({ caseId, applicant }) =>
              recordAccess(engine.stores.eventStore, actor, { subject: applicant, caseId, serviceId, purpose: `trying a draft of the service (v${version}) on past cases`, fields: ['case-dry-run'], channel: 'catalogue-dry-run', result: 'granted' }, ctx.requestId)));
          }
        };
        const report = await dryRun.run({ serviceId, version, months: ctx.body.months, listed: ctx.body.listed, actor: { kind: actor.kind, id: actor.id }, commandId: ctx.commandId, recordShown });
        return { status: 200, body: report };
      },
    }),
    defineRoute<{ id: string; version: string }, Record<string, never>, unknown>({
      method: 'get',
      path: '/admin/catalogue/services/:id/versions/:version/dry-run',
      summary: 'The last dry run of this version: its totals and the first differing cases',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['id', 'version'], properties: { id: idParam, version: versionParam } },
      responses: { 200: { description: 'The last dry run', schema: dryRunSchema }, 404: { description: 'No dry run of this version yet' } },
      handler: async (ctx) => {
        const record = await admin.lastDryRun(ctx.params.id, Number(ctx.params.version));
        if (!record) throw notFound(`service "${ctx.params.id}" v${Number(ctx.params.version)} has no dry run yet`, { slug: 'catalogue-not-found' });
        return { status: 200, body: record };
      },
    }),
    defineRoute<{ itemId: string }, Record<string, never>, Record<string, unknown>>({
      method: 'put',
      path: '/admin/data-items/:itemId',
      summary: 'Add or change one data item (provider, fields, sharing class and conditions): saved into the data catalogue draft',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['itemId'], properties: { itemId: idParam } },
      body: { type: 'object', additionalProperties: true, description: 'A data item as in data-catalogue.json items[]' },
      responses: { 200: { description: 'The data catalogue draft', schema: entrySchema }, 409: { description: 'The draft changed meanwhile' }, 422: problems('The item or the catalogue does not validate') },
      handler: async (ctx) => {
        const doc = await dataCatalogueBase();
        const index = doc.items.findIndex((item) => item.id === ctx.params.itemId);
        const item = { ...ctx.body, id: ctx.params.itemId } as unknown as DataCatalogueDocument['items'][number];
        if (index >= 0) doc.items[index] = item;
        else doc.items.push(item);
        return { status: 200, body: shown(await admin.saveDraft('data-catalogue', DATA_CATALOGUE_ID, doc, who(ctx.actor()), ctx.commandId)) };
      },
    }),
    defineRoute<{ code: string }, Record<string, never>, { name: { 'zh-CN': string; en: string } }>({
      method: 'put',
      path: '/admin/departments/:code',
      summary: 'Add or rename a department: saved into the data catalogue draft',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 20 } } },
      body: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'object', required: ['zh-CN', 'en'], additionalProperties: false, properties: { 'zh-CN': { type: 'string', minLength: 1, maxLength: 100 }, en: { type: 'string', minLength: 1, maxLength: 100 } } } },
      },
      responses: { 200: { description: 'The data catalogue draft', schema: entrySchema }, 409: { description: 'The draft changed meanwhile' }, 422: problems('The catalogue does not validate') },
      handler: async (ctx) => {
        const doc = await dataCatalogueBase();
        const department = { code: ctx.params.code, name: ctx.body.name };
        const index = doc.departments.findIndex((d) => d.code === ctx.params.code);
        if (index >= 0) doc.departments[index] = department;
        else doc.departments.push(department);
        return { status: 200, body: shown(await admin.saveDraft('data-catalogue', DATA_CATALOGUE_ID, doc, who(ctx.actor()), ctx.commandId)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/duties',
      summary: 'Clerks\' departments and duties as the administrator recorded them',
      tags: ['admin'],
      auth: ['admin'],
      responses: { 200: { description: 'By staff id', schema: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: dutiesSchema } } } } },
      handler: async () => {
        await engine.catalogue.refresh();
        return { status: 200, body: { items: engine.catalogue.allDuties() } };
      },
    }),
    defineRoute<{ staffId: string }, Record<string, never>, { department: string; roles: string[]; name?: string }>({
      method: 'put',
      path: '/admin/duties/:staffId',
      summary: 'Record a clerk\'s department and duties: from then on they decide what the clerk may do, whatever the clerk\'s token says',
      description: 'Takes effect in every API process within the catalogue refresh time (2 s), so a withdrawn duty does not wait for a token to expire. Audited as duties-set.',
      tags: ['admin'],
      auth: ['admin'],
      params: staffParams,
      body: {
        type: 'object',
        required: ['department', 'roles'],
        additionalProperties: false,
        properties: {
          department: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 20 },
          roles: { type: 'array', items: { enum: ['intake', 'reviewer', 'approver'] }, maxItems: 3, uniqueItems: true },
          name: { type: 'string', minLength: 1, maxLength: 100 },
        },
      },
      responses: { 200: { description: 'Recorded', schema: dutiesSchema }, 422: problems('The department does not handle cases') },
      handler: async (ctx) => ({ status: 200, body: await admin.setDuties({ staffId: ctx.params.staffId, ...ctx.body }, who(ctx.actor()), ctx.commandId) }),
    }),
    defineRoute<{ staffId: string }, Record<string, never>, unknown>({
      method: 'delete',
      path: '/admin/duties/:staffId',
      summary: 'Remove a clerk\'s recorded duties: the clerk\'s token decides again',
      tags: ['admin'],
      auth: ['admin'],
      params: staffParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'No duties recorded for this clerk' } },
      handler: async (ctx) => {
        await admin.removeDuties(ctx.params.staffId, who(ctx.actor()), ctx.commandId);
        return { status: 204 };
      },
    }),
    defineRoute<Record<string, never>, { kind?: string; id?: string; limit: number }, unknown>({
      method: 'get',
      path: '/admin/catalogue-audit',
      summary: 'Who drafted, approved, dry-ran, published and imported what, oldest first',
      tags: ['admin'],
      auth: ['admin', 'auditor'],
      query: {
        type: 'object',
        additionalProperties: false,
        properties: { kind: { type: 'string', maxLength: 40 }, id: { type: 'string', maxLength: 80 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
      },
      responses: { 200: { description: 'The newest entries', schema: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: auditSchema } } } } },
      handler: async (ctx) => ({ status: 200, body: { items: await admin.audit({ kind: ctx.query.kind, id: ctx.query.id, limit: Number.isFinite(ctx.query.limit) ? ctx.query.limit : 200 }) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/catalogue-export',
      summary: 'The whole catalogue as files: the data catalogue in force and every published version of every service and bundle',
      tags: ['admin'],
      auth: ['admin'],
      responses: { 200: { description: 'Files, in the layout of domain/catalogue/data', schema: { type: 'object', required: ['files'], additionalProperties: false, properties: { files: filesSchema } } } },
      handler: async () => ({ status: 200, body: { files: await admin.exportFiles() } }),
    }),
    defineRoute<Record<string, never>, Record<string, never>, { reason: string; files: Array<{ name: string; content: string }> }>({
      method: 'post',
      path: '/admin/catalogue-import',
      summary: 'Import a whole catalogue as files, all or nothing: every problem listed by file and field, and a refused import changes nothing',
      description:
        'Published versions in the files must be unchanged; new versions are published at once (the import is the administrator\'s bulk publication, recorded with its reason in the audit trail); a changed data catalogue becomes a new version of it.',
      tags: ['admin'],
      auth: ['admin'],
      body: { type: 'object', required: ['reason', 'files'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 10, maxLength: 500 }, files: filesSchema } },
      responses: {
        200: {
          description: 'Imported (or nothing to change)',
          schema: {
            type: 'object',
            required: ['files', 'published', 'dataCatalogueVersion', 'unchanged'],
            additionalProperties: false,
            properties: { files: { type: 'integer' }, published: { type: 'array', items: { type: 'string' } }, dataCatalogueVersion: { type: ['integer', 'null'] }, unchanged: { type: 'boolean' } },
          },
        },
        409: { description: 'The catalogue changed meanwhile' },
        422: problems('The catalogue does not validate; nothing was imported'),
      },
      handler: async (ctx) => {
        const result = await admin.importFiles(ctx.body.files, ctx.body.reason, who(ctx.actor()), ctx.commandId);
        if (result.published.some((p) => p.startsWith('calendar:'))) void engine.calendars.rescan().catch(() => undefined);
        return { status: 200, body: result };
      },
    }),
  ];
}
