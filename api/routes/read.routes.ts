import type { Engine } from '../../runtime/engine.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { localDate } from '../../domain/calendar/index.ts';
import { withDaysLeft, withTimelineSummaries } from '../../projections/views/case-view/index.ts';
import { withItemDaysLeft, type WorkItem } from '../../projections/views/work-queue/index.ts';
import { allowedCommandsFor, reconsiderableUntil } from '../../workflows/index.ts';
import { defineRoute, notFound } from '../http/index.ts';
import { recordAccess } from './access-log.ts';
import { maySee } from './case-visibility.ts';
import { createCaseReader, parseMoment } from './case-reader.ts';
import { schemaRef } from './components.ts';
import { caseParams, lapsedAgentProblems } from './command-route.ts';
import type { Views } from './views.ts';
import { pagingQuery } from './paging.ts';

const page = pagingQuery(20, 100);
const listOf = (items: object) => ({
  type: 'object',
  required: ['items', 'total', 'page', 'pageSize'],
  additionalProperties: false,
  properties: { items: { type: 'array', items }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
});
const anyObject = { type: 'object', additionalProperties: true };

function serviceSummary(definition: ServiceDefinition) {
  return {
    id: definition.id,
    version: definition.version,
    name: definition.name,
    department: definition.department,
    coReviewers: definition.coReviewers,
    applicantType: definition.applicantType,
    legalBasis: definition.legalBasis,
    promisedDays: definition.limits.promisedDays,
    statutoryDays: definition.limits.statutoryDays,
    dayKind: definition.limits.dayKind,
    instantApproval: definition.instantApproval !== undefined,
    commitment: definition.commitment !== undefined,
    fee: definition.fee,
    outcome: definition.outcome,
  };
}

export function readRoutes(engine: Engine, views: Views) {
  const cases = createCaseReader(engine, views);
  return [
    defineRoute({
      method: 'get',
      path: '/services',
      summary: 'Services one can apply for (latest version of each)',
      tags: ['services'],
      auth: 'public',
      responses: { 200: { description: 'Service list', schema: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: schemaRef('ServiceSummary') } } } } },
      handler: async () => {
        await engine.catalogue.ensureFresh();
        return { status: 200, body: { items: engine.catalogue.catalogue.list().map(serviceSummary) } };
      },
    }),
    defineRoute<{ serviceId: string }, { version?: number }, unknown>({
      method: 'get',
      path: '/services/:serviceId',
      summary: 'One service definition: form, materials, limits, legal basis',
      tags: ['services'],
      auth: 'public',
      params: { type: 'object', required: ['serviceId'], properties: { serviceId: { type: 'string', maxLength: 80 } } },
      query: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } } },
      responses: { 200: { description: 'Definition, of the shape GET /schemas/service-definition.json publishes', schema: schemaRef('ServiceDefinition') }, 404: { description: 'Unknown service' } },
      handler: async (ctx) => {
        await engine.catalogue.ensureFresh();
        const definition = ctx.query.version ? engine.catalogue.get(ctx.params.serviceId, ctx.query.version) : engine.catalogue.latest(ctx.params.serviceId);
        if (!definition) throw notFound(`service "${ctx.params.serviceId}" does not exist`);
        return { status: 200, body: definition };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/data-catalogue',
      summary: 'The data resource catalogue: departments and the data items they share, with fields, sharing class and legal basis',
      tags: ['services'],
      auth: 'public',
      responses: { 200: { description: 'Departments and data items', schema: { type: 'object', required: ['departments', 'items'], properties: { departments: { type: 'array', items: anyObject }, items: { type: 'array', items: anyObject } } } } },
      handler: () => ({
        status: 200,
        body: {
          departments: engine.dataCatalogue.departments(),
          items: engine.dataCatalogue.list().map(({ quality: _quality, ...item }) => item),
        },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/bundles',
      summary: 'Bundles (一件事): one application for several services',
      tags: ['services'],
      auth: 'public',
      responses: { 200: { description: 'Bundle list', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: anyObject } } } } },
      handler: () => ({ status: 200, body: { items: engine.catalogue.catalogue.bundles() } }),
    }),
    defineRoute<{ caseId: string }, { actions?: boolean; asOf?: string }, unknown>({
      method: 'get',
      path: '/cases/:caseId',
      summary: 'A case: status, timeline, outstanding items, due dates and working days left, evidence with provenance, decision, certificate',
      description:
        'Always at least as new as the last command on the case, whichever API process answered it (the stored view is ' +
        'brought up to the case\'s own stream on read). With asOf, the case exactly as it was after that revision or at ' +
        'that instant, days left counted as they were then; a past view is logged as a data use like any other read.',
      tags: ['cases'],
      auth: ['citizen', 'clerk', 'auditor'],
      params: caseParams,
      headers: { etag: true, ifNoneMatch: true },
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          actions: { type: 'boolean', description: 'Include the commands the case takes next' },
          asOf: { type: 'string', maxLength: 40, description: 'A revision (whole number) or an instant (ISO 8601): the case as it was then' },
        },
      },
      responses: {
        200: { description: 'Case view', schema: schemaRef('CaseView') },
        304: { description: 'Unchanged since the revision in If-None-Match (not logged as a data use)' },
        400: { description: 'asOf is neither a revision nor an instant, or an unknown query parameter' },
        404: { description: 'No such case for this caller' },
        422: { description: 'asOf names a revision the case has not reached, an instant in the future, or one before the case existed' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const moment = ctx.query.asOf === undefined ? null : parseMoment(ctx.query.asOf);
        const now = engine.clock.now();
        // Visibility is decided on the case as it is now: a past view never shows a caller a case it may not see today.
        const view = await cases.current(ctx.params.caseId);
        if (!view || !maySee(principal, view)) throw notFound(`case ${ctx.params.caseId} was not found`);
        // A page checking whether the case moved learns nothing new from an unchanged view: no data is read, so
        // nothing is logged as a use of the applicant's data.
        const etag = `"${view.revision}"`;
        // With actions too: what this caller may do next follows from the revision alone.
        if (!moment && ctx.req.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag } };
        const past = moment ? await cases.at(ctx.params.caseId, moment, now) : null;
        // Nor a draft it could not see then: until submitted a case is its applicant's alone, and the form values and
        // files replaced before submitting were never the department's to read.
        if (past && !maySee(principal, past.view)) throw notFound(`case ${ctx.params.caseId} as of revision ${past.view.revision} was a draft, which only its applicant reads`);
        const shown = past?.view ?? view;
        await recordAccess(engine.stores.eventStore, ctx.actor(), {
          subject: view.applicant,
          caseId: view.caseId,
          serviceId: view.serviceId,
          purpose: `${principal.kind === 'auditor' ? 'supervision of case handling' : 'handling the case'}${past ? ` (the case as of revision ${past.view.revision})` : ''}`,
          fields: ['case-view'],
          channel: 'case-view',
          result: 'granted',
        }, ctx.requestId);
        const calendar = engine.calendar(shown.limits?.calendar ?? 'CN');
        const today = localDate(past?.instant ?? now, engine.config.timeZone);
        const body: Record<string, unknown> = { ...withDaysLeft(withTimelineSummaries(shown), calendar, today) };
        if (past) {
          body.asOf = { revision: shown.revision, instant: past.instant.toISOString(), currentRevision: view.revision };
          return { status: 200, body };
        }
        if (ctx.query.actions) {
          const state = await engine.commands.load(view.caseId);
          // An agent whose basis lapsed still sees the case, but is offered nothing to do on it.
          const allowed = (await lapsedAgentProblems(engine, state, ctx.actor())).length > 0 ? [] : allowedCommandsFor(state, ctx.actor());
          body.allowed = allowed;
          const until = allowed.includes('RequestReconsideration') ? reconsiderableUntil(state.context, calendar) : null;
          if (until) body.reconsiderableUntil = until;
        }
        return { status: 200, body, headers: { ETag: etag } };
      },
    }),
    defineRoute<Record<string, never>, { status?: string; open?: boolean; page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/cases',
      summary: "The signed-in applicant's own cases, and those they applied for as an agent (agentId names them)",
      tags: ['citizen'],
      auth: ['citizen'],
      query: { type: 'object', properties: { status: { type: 'string', maxLength: 40 }, open: { type: 'boolean' }, ...page } },
      responses: { 200: { description: 'Cases', schema: listOf(schemaRef('CitizenCase')) } },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const filters: Record<string, string | boolean> = {};
        if (ctx.query.status) filters.status = ctx.query.status;
        if (ctx.query.open !== undefined) filters.open = ctx.query.open;
        // Cases of one's own and cases applied for as an agent (never both: nobody acts for themselves), merged in
        // one order: each list is read up to the end of the page asked for, then the page is cut from the merge.
        const upTo = ctx.query.page * ctx.query.pageSize;
        const orderBy = [{ field: 'updatedAt', direction: 'desc' as const }];
        const [own, asAgent] = await Promise.all([
          views.find('citizenCases', { where: { ...filters, applicantId: principal.id }, orderBy, limit: upTo, offset: 0 }),
          views.find('citizenCases', { where: { ...filters, agentId: principal.id }, orderBy, limit: upTo, offset: 0 }),
        ]);
        const merged = [...own.items, ...asAgent.items].sort((a, b) => String((b as { updatedAt: string }).updatedAt).localeCompare(String((a as { updatedAt: string }).updatedAt)));
        const items = merged.slice(upTo - ctx.query.pageSize, upTo);
        return { status: 200, body: { items, total: own.total + asAgent.total, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute<Record<string, never>, { status?: string; serviceId?: string; dueBefore?: string; overdue?: boolean; role?: string; waiting?: boolean; action?: string; heldBy?: string; page: number; pageSize: number }, unknown>({
      method: 'get',
      path: '/work-queue',
      summary: "The clerk's department work queue, sorted by deadline",
      tags: ['clerk'],
      auth: ['clerk'],
      query: {
        type: 'object',
        properties: {
          status: { type: 'string', maxLength: 40 },
          serviceId: { type: 'string', maxLength: 80 },
          dueBefore: { type: 'string', format: 'date' },
          overdue: { type: 'boolean' },
          role: { enum: ['lead', 'co-reviewer'] },
          waiting: { type: 'boolean', description: 'true: items sitting with someone else (applicant, providers, co-reviewers); false: the department\'s own next step' },
          action: { type: 'string', maxLength: 40 },
          heldBy: { type: 'string', maxLength: 80, description: 'Items held by this clerk (staff id); each item names its holder in heldBy (null: unclaimed)' },
          ...page,
        },
      },
      responses: { 200: { description: 'Work items', schema: listOf(schemaRef('WorkItem')) } },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        if (principal.kind !== 'clerk') throw notFound('no work queue');
        const where: Record<string, unknown> = { department: principal.department };
        if (ctx.query.waiting !== undefined) where.waiting = ctx.query.waiting;
        if (ctx.query.action) where.action = ctx.query.action;
        if (ctx.query.heldBy) where.heldBy = ctx.query.heldBy;
        if (ctx.query.status) where.status = ctx.query.status;
        if (ctx.query.serviceId) where.serviceId = ctx.query.serviceId;
        if (ctx.query.role) where.role = ctx.query.role;
        if (ctx.query.overdue !== undefined) where.overdue = ctx.query.overdue;
        if (ctx.query.dueBefore) where.dueOn = { lte: ctx.query.dueBefore };
        const result = await views.find('workQueue', {
          where: where as never,
          orderBy: [{ field: 'dueOn', direction: 'asc' }, { field: 'submittedAt', direction: 'asc' }],
          limit: ctx.query.pageSize,
          offset: (ctx.query.page - 1) * ctx.query.pageSize,
        });
        const today = localDate(engine.clock.now(), engine.config.timeZone);
        const items = (result.items as unknown as WorkItem[]).map((item) => {
          const limits = engine.catalogue.get(item.serviceId, item.serviceVersion)?.limits;
          return withItemDaysLeft(item, engine.calendar(limits?.calendar ?? 'CN'), limits?.dayKind ?? 'working', today);
        });
        return { status: 200, body: { ...result, items, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
  ];
}
