import type { Engine } from '../../runtime/engine.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { summarise, type ServiceStats } from '../../projections/views/service-stats/index.ts';
import { readSharedStatus, requestRebuildOnce, type ProjectionRunner } from '../../projections/index.ts';
import { allProjectors } from '../../runtime/projectors.ts';
import { defineRoute, notFound, badRequest, unprocessable } from '../http/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import type { FieldFilter } from '../../domain/ports/read-store.ts';
import { parseMoment, type CaseMoment } from './case-reader.ts';
import { recordAccess } from './access-log.ts';
import { verifyForAuditor } from './audit-verify.ts';
import { claimIdempotencyKey } from '../../workflows/index.ts';
import { caseParams } from './command-route.ts';
import type { Views } from './views.ts';
import { pagingQuery } from './paging.ts';
import { schemaRef } from './components.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { subjectTypeOfId } from '../../domain/identity/index.ts';

/** A data subject by its id, for an access record: the type the case recorded when it names the subject. */
function subjectOfId(id: string, known?: { type: string; id: string } | null): { type: 'person' | 'enterprise'; id: string } {
  if (known?.id === id && (known.type === 'person' || known.type === 'enterprise')) return { type: known.type, id };
  return { type: subjectTypeOfId(id), id };
}

const anyObject = { type: 'object', additionalProperties: true };
const page = pagingQuery(50, 200);
const listOf = (items: object) => ({
  type: 'object',
  required: ['items', 'total', 'page', 'pageSize'],
  additionalProperties: false,
  properties: { items: { type: 'array', items }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
});
const subjectParams = { type: 'object', required: ['subjectId'], properties: { subjectId: { type: 'string', pattern: '^[0-9A-Z]{18}$' } } };

const nullable = (type: string) => ({ type: [type, 'null'] });
const rebuildRequestSchema = {
  type: 'object',
  required: ['id', 'state', 'requestedAt'],
  properties: {
    name: { type: 'string' },
    id: { type: 'string' },
    state: { enum: ['requested', 'running', 'done', 'failed'] },
    requestedAt: { type: 'string' },
    worker: nullable('string'),
    startedAt: nullable('string'),
    finishedAt: nullable('string'),
    version: nullable('integer'),
    error: nullable('string'),
  },
};
const projectionStatusSchema = {
  type: 'object',
  required: ['name', 'version', 'activeVersion', 'checkpoint', 'state', 'worker', 'reportedAt', 'rebuildRequest'],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    activeVersion: nullable('integer'),
    checkpoint: { type: 'string' },
    eventsProcessed: { type: 'integer' },
    lastEventAt: nullable('string'),
    lagMs: nullable('number'),
    state: { enum: ['running', 'rebuilding', 'stopped', 'failed'] },
    lastError: nullable('string'),
    rebuild: { oneOf: [{ type: 'null' }, anyObject] },
    worker: nullable('string'),
    reportedAt: nullable('string'),
    rebuildRequest: { oneOf: [{ type: 'null' }, rebuildRequestSchema] },
  },
};

/** The projection routes read and write the shared read store, so they work in ROLE=api processes too. */
export function oversightRoutes(engine: Engine, views: Views, _projections: () => ProjectionRunner | null, readStore: ReadStore) {
  /**
   * The filter for a case's trail as it stood at a moment; the moment is checked against the case's own stream, as
   * GET /cases/{id}?asOf checks it. A revision cuts the chain at its event's entry (seq): data accesses recorded
   * before it stay in, later ones not. An entry the trail has not reached yet means everything it holds came before.
   */
  async function trailCut(caseId: string, moment: CaseMoment): Promise<Record<string, FieldFilter>> {
    const events = await engine.stores.eventStore.readStream(caseStream(caseId));
    if (events.length === 0) throw notFound(`no audit entries for case ${caseId}`);
    if ('revision' in moment) {
      const head = events.at(-1)!.revision;
      if (moment.revision > head) throw unprocessable(`the case is at revision ${head}; revision ${moment.revision} does not exist yet`, { slug: 'bad-as-of' });
      const at = await views.find('auditTrail', { where: { caseId, streamId: caseStream(caseId), revision: moment.revision.toString() }, limit: 1 });
      const entry = at.items[0] as { seq?: number } | undefined;
      return entry?.seq === undefined ? {} : { seq: { lte: entry.seq } };
    }
    if (moment.instant.getTime() > engine.clock.now().getTime()) throw unprocessable(`asOf ${moment.instant.toISOString()} is in the future`, { slug: 'bad-as-of' });
    if (moment.instant.getTime() < Date.parse(events[0]!.metadata.occurredAt)) {
      throw unprocessable(`the case did not exist yet at ${moment.instant.toISOString()}; it was drafted at ${events[0]!.metadata.occurredAt}`, { slug: 'bad-as-of' });
    }
    return { at: { lte: moment.instant.toISOString() } };
  }
  let names: string[] | undefined;
  const projectionNames = () => (names ??= allProjectors({ services: engine.catalogue.catalogue, calendar: engine.calendar }).map((p) => p.name));
  return [
    defineRoute<Record<string, never>, { page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/me/data-use',
      summary: 'Who used my data: which department looked at which of my data, for which case, why and when',
      tags: ['citizen'],
      auth: ['citizen'],
      query: { type: 'object', properties: page },
      responses: { 200: { description: 'Data uses, newest first', schema: listOf(schemaRef('DataUse')) } },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const result = await views.find('dataUse', {
          where: { subjectId: principal.id },
          orderBy: [{ field: 'at', direction: 'desc' }],
          limit: ctx.query.pageSize,
          offset: (ctx.query.page - 1) * ctx.query.pageSize,
        });
        return { status: 200, body: { ...result, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute<{ caseId: string }, { page: number; pageSize: number; asOf?: string }, unknown>({
      method: 'get',
      path: '/audit/cases/:caseId',
      summary: 'Audit trail of a case: every command (who, role, department, when, before -> after) and every data access',
      description:
        'With asOf (a case revision or an instant, as for GET /cases/{caseId}), the trail as it stood then: for a revision, ' +
        'the entries in the chain up to and including that revision\'s event; for an instant, the entries that happened by then.',
      tags: ['auditor'],
      auth: ['auditor'],
      params: caseParams,
      query: {
        type: 'object',
        additionalProperties: false,
        properties: { ...page, asOf: { type: 'string', maxLength: 40, description: 'A revision (whole number) or an instant (ISO 8601): the trail as it stood then' } },
      },
      responses: {
        200: { description: 'Audit entries in chain order', schema: listOf(schemaRef('AuditEntry')) },
        400: { description: 'asOf is neither a revision nor an instant, or an unknown query parameter' },
        404: { description: 'No audit entries for this case' },
        422: { description: 'asOf names a revision the case has not reached, an instant in the future, or one before the case existed' },
      },
      handler: async (ctx) => {
        const moment = ctx.query.asOf === undefined ? null : parseMoment(ctx.query.asOf);
        const where: Record<string, FieldFilter> = { caseId: ctx.params.caseId };
        if (moment) Object.assign(where, await trailCut(ctx.params.caseId, moment));
        const result = await views.find('auditTrail', { where, orderBy: [{ field: 'seq', direction: 'asc' }], limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        if (result.total === 0 && !moment) throw notFound(`no audit entries for case ${ctx.params.caseId}`);
        // The trail names its subjects and who looked at their data: reading it is a use of their data, recorded for
        // each subject on the page served (the applicant, anyone whose data the case fetched, any citizen who acted:
        // an agent's own ID number is on the page), after the query.
        const served = result.items as Array<{ subjectId?: string | null; serviceId?: string | null; actorKind?: string; actorId?: string | null }>;
        const subjects = new Map<string, string | null>();
        for (const entry of served) {
          if (typeof entry.subjectId === 'string' && entry.subjectId !== ERASED && !subjects.has(entry.subjectId)) subjects.set(entry.subjectId, entry.serviceId ?? null);
          // A citizen who acted (the applicant, or an agent acting for them) is named by their ID number too.
          if (entry.actorKind === 'citizen' && typeof entry.actorId === 'string' && entry.actorId !== ERASED && !subjects.has(entry.actorId)) subjects.set(entry.actorId, entry.serviceId ?? null);
        }
        const applicant = subjects.size > 0 ? ((await views.get('caseView', ctx.params.caseId)) as { applicant?: { type: string; id: string } } | null)?.applicant : null;
        for (const [subjectId, serviceId] of subjects) {
          await recordAccess(engine.stores.eventStore, ctx.actor(), {
            subject: subjectOfId(subjectId, applicant),
            caseId: ctx.params.caseId,
            serviceId,
            purpose: `audit of case handling${moment ? ` (the trail as of ${ctx.query.asOf})` : ''}`,
            fields: ['audit-trail'],
            channel: 'audit-trail',
            result: 'granted',
          }, ctx.requestId);
        }
        return { status: 200, body: { ...result, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute<{ subjectId: string }, { page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/audit/subjects/:subjectId',
      summary: 'Audit trail of a data subject (citizen ID or credit code); the auditor\'s own reading is logged too',
      tags: ['auditor'],
      auth: ['auditor'],
      params: subjectParams,
      query: { type: 'object', properties: page },
      responses: { 200: { description: 'Audit entries in chain order', schema: listOf(schemaRef('AuditEntry')) } },
      handler: async (ctx) => {
        // Query first, record after: only what was actually served counts as a use of the subject's data.
        const result = await views.find('auditTrail', { where: { subjectId: ctx.params.subjectId }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        await recordAccess(engine.stores.eventStore, ctx.actor(), {
          subject: subjectOfId(ctx.params.subjectId),
          caseId: null,
          serviceId: null,
          purpose: 'audit of data use',
          fields: ['audit-trail'],
          channel: 'audit-trail',
          result: 'granted',
        }, ctx.requestId);
        return { status: 200, body: { ...result, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/audit/verify',
      summary: 'Verify the hash-linked event log itself against its signed heads (not a projection); reports the first bad event',
      tags: ['auditor'],
      auth: ['auditor', 'admin'],
      responses: { 200: { description: 'Verdict', schema: { type: 'object', required: ['ok', 'checked'], properties: { ok: { type: 'boolean' }, checked: { type: 'integer' }, source: { type: 'string' }, heads: { type: 'integer' }, last: { type: ['object', 'null'], additionalProperties: true }, firstBroken: anyObject } } } },
      handler: async () => ({ status: 200, body: await verifyForAuditor(engine) }),
    }),
    defineRoute<Record<string, never>, { department?: string }, unknown>({
      method: 'get',
      path: '/statistics',
      summary: 'Service statistics: received, accepted, decided, median/p90 working days, on-time rate, trips saved, instant approvals, supplements, ratings',
      tags: ['auditor'],
      auth: ['auditor', 'admin', 'clerk'],
      query: { type: 'object', properties: { department: { type: 'string', maxLength: 16 } } },
      responses: { 200: { description: 'Per service and per department', schema: { type: 'object', required: ['services', 'departments'], additionalProperties: false, properties: { services: { type: 'array', items: schemaRef('ServiceStats') }, departments: { type: 'array', items: schemaRef('ServiceStats') } } } } },
      handler: async (ctx) => {
        const { items } = await views.find('serviceStats', { limit: 1000 });
        const calendar = engine.calendar('CN');
        // Service documents do not carry their department (the projection keys them by service); the catalogue says
        // which department leads each service, so the filter and the answer name it.
        const departmentOf = (doc: ServiceStats) =>
          doc.id.startsWith('dept-') ? doc.department : (doc.department ?? engine.catalogue.latest(doc.serviceId ?? doc.id)?.department ?? null);
        const shaped = (items as unknown as ServiceStats[]).map((doc) => ({ ...doc, department: departmentOf(doc), summary: summarise(doc, calendar) }));
        const wanted = ctx.query.department;
        const services = shaped.filter((d) => !d.id.startsWith('dept-') && (!wanted || d.department === wanted));
        const departments = shaped.filter((d) => d.id.startsWith('dept-') && (!wanted || d.id === `dept-${wanted}`));
        return { status: 200, body: { services, departments } };
      },
    }),
    defineRoute<Record<string, never>, Record<string, never>, { id: string }>({
      method: 'post',
      path: '/admin/services',
      summary: 'Draft a new version of a service definition (validated against the data catalogue); it is published after review',
      description: 'The same as PUT /admin/catalogue/services/{id}/draft: approve it (another administrator), dry-run it, then publish it.',
      tags: ['admin'],
      auth: ['admin'],
      body: { type: 'object', required: ['id', 'version'], additionalProperties: true, properties: { id: { type: 'string', maxLength: 80 }, version: { type: 'integer', minimum: 1 } } },
      responses: { 201: { description: 'Drafted', schema: { type: 'object', required: ['id', 'version', 'status'], additionalProperties: false, properties: { id: { type: 'string' }, version: { type: 'integer' }, status: { const: 'draft' } } } }, 409: { description: 'Another version is under review' }, 422: { description: 'Invalid definition (every problem named)' } },
      handler: async (ctx) => {
        const actor = ctx.actor();
        const entry = await engine.catalogueAdmin.saveDraft('service', ctx.body.id, ctx.body, { kind: actor.kind, id: actor.id }, ctx.commandId);
        return { status: 201, body: { id: entry.id, version: entry.version, status: 'draft' } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/projections',
      summary: 'Projection status as the workers report it: version, checkpoint, events processed, lag, state, rebuild requests',
      description:
        'Read from the shared read store, so any API process answers: each worker reports the projections whose lease it holds about once a second (worker, reportedAt); activeVersion is read fresh.',
      tags: ['admin'],
      auth: ['admin'],
      responses: { 200: { description: 'Status per projection', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: projectionStatusSchema } } } } },
      handler: async () => ({ status: 200, body: { items: await readSharedStatus(readStore, projectionNames()) } }),
    }),
    defineRoute<{ name: string }, Record<string, never>, unknown>({
      method: 'post',
      path: '/admin/projections/:name/rebuild',
      summary: 'Ask for a rebuild: the worker holding the projection builds a new version while the current one serves, then switches',
      description:
        'Records the request in the shared read store; the worker holding the projection\'s lease picks it up within about a second. Progress shows in GET /admin/projections (rebuild, rebuildRequest). A request already waiting or running is returned instead of a second one; the same Idempotency-Key again answers its own request (no second rebuild), and for another projection is refused (422).',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 60 } } },
      body: { type: 'object', properties: {}, additionalProperties: false },
      responses: { 202: { description: 'Rebuild requested', schema: rebuildRequestSchema } },
      handler: async (ctx) => {
        if (!projectionNames().includes(ctx.params.name)) throw badRequest(`no projection named "${ctx.params.name}"`);
        // The key names one request: claimed in the event log (atomic, durable), so the same key for another
        // projection is refused (422) even when both are sent at once.
        await claimIdempotencyKey(engine.stores.eventStore, { type: 'RequestProjectionRebuild', commandId: ctx.commandId, actor: ctx.actor(), projection: ctx.params.name }, engine.clock.now().toISOString());
        const request = await requestRebuildOnce(readStore, ctx.params.name, ctx.commandId, engine.clock.now());
        return { status: 202, body: { name: ctx.params.name, ...request } };
      },
    }),
  ];
}
