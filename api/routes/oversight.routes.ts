import type { Engine } from '../../adapters/runtime/engine.ts';
import type { ReadStore } from '../../adapters/read-store/port.ts';
import { verifyStoredChain } from '../../projections/audit/index.ts';
import { summarise, type ServiceStats } from '../../projections/views/service-stats/index.ts';
import type { ProjectionRunner } from '../../projections/index.ts';
import { defineRoute, notFound, badRequest, conflict } from '../http/index.ts';
import { recordAccess } from './access-log.ts';
import { caseParams } from './command-route.ts';
import type { Views } from './views.ts';

const anyObject = { type: 'object', additionalProperties: true };
const page = { page: { type: 'integer', minimum: 1, default: 1 }, pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 } };
const list = { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: anyObject }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } };
const subjectParams = { type: 'object', required: ['subjectId'], properties: { subjectId: { type: 'string', pattern: '^[0-9A-Z]{18}$' } } };

export function oversightRoutes(engine: Engine, views: Views, projections: () => ProjectionRunner | null, _readStore: ReadStore) {
  return [
    defineRoute<Record<string, never>, { page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/me/data-use',
      summary: 'Who used my data: which department looked at which of my data, for which case, why and when',
      tags: ['citizen'],
      auth: ['citizen'],
      query: { type: 'object', properties: page },
      responses: { 200: { description: 'Data uses, newest first', schema: list } },
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
    defineRoute<{ caseId: string }, { page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/audit/cases/:caseId',
      summary: 'Audit trail of a case: every command (who, role, department, when, before -> after) and every data access',
      tags: ['auditor'],
      auth: ['auditor'],
      params: caseParams,
      query: { type: 'object', properties: page },
      responses: { 200: { description: 'Audit entries in chain order', schema: list } },
      handler: async (ctx) => {
        const result = await views.find('auditTrail', { where: { caseId: ctx.params.caseId }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        if (result.total === 0) throw notFound(`no audit entries for case ${ctx.params.caseId}`);
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
      responses: { 200: { description: 'Audit entries in chain order', schema: list } },
      handler: async (ctx) => {
        await recordAccess(engine.stores.eventStore, ctx.actor(), {
          subject: { type: /^\d{17}[\dX]$/.test(ctx.params.subjectId) ? 'person' : 'enterprise', id: ctx.params.subjectId },
          caseId: null,
          serviceId: null,
          purpose: 'audit of data use',
          fields: ['audit-trail'],
          channel: 'audit-trail',
          result: 'granted',
        }, ctx.requestId);
        const result = await views.find('auditTrail', { where: { subjectId: ctx.params.subjectId }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        return { status: 200, body: { ...result, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/audit/verify',
      summary: 'Verify the tamper-evident hash chain of the audit trail; reports the first broken link',
      tags: ['auditor'],
      auth: ['auditor', 'admin'],
      responses: { 200: { description: 'Verdict', schema: { type: 'object', required: ['ok', 'checked'], properties: { ok: { type: 'boolean' }, checked: { type: 'integer' }, firstBroken: anyObject } } } },
      handler: async () => ({ status: 200, body: await verifyStoredChain(engine.stores.readStore) }),
    }),
    defineRoute<Record<string, never>, { department?: string }, unknown>({
      method: 'get',
      path: '/statistics',
      summary: 'Service statistics: received, accepted, decided, median/p90 working days, on-time rate, trips saved, instant approvals, supplements, ratings',
      tags: ['auditor'],
      auth: ['auditor', 'admin', 'clerk'],
      query: { type: 'object', properties: { department: { type: 'string', maxLength: 16 } } },
      responses: { 200: { description: 'Per service and per department', schema: { type: 'object', required: ['services', 'departments'], properties: { services: { type: 'array', items: anyObject }, departments: { type: 'array', items: anyObject } } } } },
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
    defineRoute<Record<string, never>, Record<string, never>, unknown>({
      method: 'post',
      path: '/admin/services',
      summary: 'Publish a new version of a service definition (validated against the data catalogue); running cases keep theirs',
      tags: ['admin'],
      auth: ['admin'],
      body: { type: 'object', required: ['id', 'version'], additionalProperties: true, properties: { id: { type: 'string' }, version: { type: 'integer', minimum: 1 } } },
      responses: { 201: { description: 'Published', schema: anyObject }, 422: { description: 'Invalid definition (every problem named)' } },
      handler: async (ctx) => ({ status: 201, body: await engine.catalogue.publish(ctx.body, ctx.actor(), ctx.commandId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/projections',
      summary: 'Projection status: version, checkpoint, events processed, lag, state',
      tags: ['admin'],
      auth: ['admin'],
      responses: { 200: { description: 'Status per projection', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: anyObject } } } } },
      handler: async () => {
        const runner = projections();
        if (!runner) throw conflict('projections run in the worker processes; ask a worker (ROLE=worker or all)');
        return { status: 200, body: { items: await runner.status() } };
      },
    }),
    defineRoute<{ name: string }, Record<string, never>, unknown>({
      method: 'post',
      path: '/admin/projections/:name/rebuild',
      summary: 'Rebuild a projection from zero into a new version while the current one keeps serving, then switch',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 60 } } },
      body: { type: 'object', properties: {}, additionalProperties: false },
      responses: { 202: { description: 'Rebuild started', schema: anyObject } },
      handler: async (ctx) => {
        const runner = projections();
        if (!runner) throw conflict('projections run in the worker processes; ask a worker (ROLE=worker or all)');
        if (!(await runner.status()).some((s) => s.name === ctx.params.name)) throw badRequest(`no projection named "${ctx.params.name}"`);
        void runner.rebuild(ctx.params.name).catch((error: unknown) => engine.logger.error({ err: error, projection: ctx.params.name }, 'rebuild failed'));
        return { status: 202, body: { name: ctx.params.name, state: 'rebuilding' } };
      },
    }),
  ];
}
