import type { Engine } from '../../runtime/engine.ts';
import { bundleForm, splitBundleForms } from '../../domain/catalogue/index.ts';
import type { BundleDefinition, ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { CaseNotFoundError } from '../../domain/case/errors.ts';
import type { Principal } from '../auth/index.ts';
import { bundleStatus, caseIdFor, claimOrReplay, type CaseState } from '../../workflows/index.ts';
import { defineRoute, notFound, unprocessable, conflict } from '../http/index.ts';
import { COMMAND_RESULT_REF, runCommand } from './command-route.ts';

const text = (max: number) => ({ type: 'string', maxLength: max });
const form = { type: 'object', description: 'Field values', additionalProperties: true };
const anyObject = { type: 'object', additionalProperties: true };
const bundleParams = { type: 'object', required: ['bundleId'], properties: { bundleId: text(80) } };
const applicationParams = { type: 'object', required: ['bundleId', 'applicationId'], properties: { bundleId: text(80), applicationId: { type: 'string', format: 'uuid' } } };
const owedItem = {
  type: 'object',
  required: ['serviceId', 'caseId', 'materialId', 'reason', 'key'],
  properties: { serviceId: { type: 'string' }, caseId: { type: 'string' }, materialId: { type: 'string' }, reason: { enum: ['missing', 'upload', 'preview', 'supplement', 'revision'] }, key: { type: 'boolean' } },
};
const statusSchema = {
  type: 'object',
  required: ['bundleId', 'applicationId', 'status', 'services', 'outstanding'],
  properties: {
    bundleId: { type: 'string' },
    applicationId: { type: 'string' },
    status: { enum: ['draft', 'partlySubmitted', 'inProgress', 'finished'] },
    services: {
      type: 'array',
      items: { type: 'object', required: ['serviceId', 'caseId', 'status', 'revision', 'outstanding'], properties: { serviceId: { type: 'string' }, caseId: { type: 'string' }, status: { type: 'string' }, revision: { type: 'string' }, outstanding: { type: 'array', items: owedItem } } },
    },
    outstanding: { type: 'array', items: owedItem, description: 'Everything the applicant still owes, across all member services' },
  },
};

/** A member's case id follows from the application and the service, so the bundle needs no index of its own. */
const memberCaseId = (applicationId: string, serviceId: string) => caseIdFor(`bundle\u0000${applicationId}\u0000${serviceId}`);

/**
 * 一件事一次办: one application for a bundle of services. Fields several members ask for are asked once; the
 * application has one status made from its members' own case states; it is submitted once for all of them.
 */
export function bundleRoutes(engine: Engine) {
  function bundleOr404(bundleId: string): { bundle: BundleDefinition; services: ServiceDefinition[] } {
    const bundle = engine.catalogue.catalogue.bundle(bundleId);
    if (!bundle) throw notFound(`bundle "${bundleId}" does not exist`);
    const services = bundle.services.map((id) => engine.catalogue.latest(id)).filter((s): s is ServiceDefinition => s !== undefined);
    return { bundle, services };
  }

  /** The member cases of an application, as the machine folds them; someone else's application is not found. */
  async function members(principal: Principal, bundle: BundleDefinition, applicationId: string): Promise<CaseState[]> {
    const states: CaseState[] = [];
    for (const serviceId of bundle.services) {
      try {
        states.push(await engine.commands.load(memberCaseId(applicationId, serviceId)));
      } catch (error) {
        if (!(error instanceof CaseNotFoundError)) throw error;
      }
    }
    if (states.length === 0 || states.some((s) => s.context.applicant?.id !== principal.id || s.context.bundleId !== applicationId)) {
      throw notFound(`bundle application ${applicationId} was not found`);
    }
    return states;
  }

  return [
    defineRoute<{ bundleId: string }, Record<string, never>, unknown>({
      method: 'get',
      path: '/bundles/:bundleId',
      summary: 'A bundle (一件事) and its one form: the fields its services share, asked once, and each service\'s own',
      tags: ['services'],
      auth: 'public',
      params: bundleParams,
      responses: { 200: { description: 'Bundle with its form', schema: anyObject }, 404: { description: 'Unknown bundle' } },
      handler: async (ctx) => {
        await engine.catalogue.ensureFresh();
        const { bundle, services } = bundleOr404(ctx.params.bundleId);
        return { status: 200, body: { ...bundle, form: bundleForm(services) } };
      },
    }),
    defineRoute<{ bundleId: string }, Record<string, never>, { form?: Record<string, unknown>; forms?: Record<string, Record<string, unknown>> }>({
      method: 'post',
      path: '/bundles/:bundleId/applications',
      summary: 'Apply once for a bundle (一件事): common fields once in `form`, each service\'s own in `forms`; one draft case per member service',
      tags: ['citizen'],
      auth: ['citizen'],
      params: bundleParams,
      body: { type: 'object', properties: { form, forms: { type: 'object', additionalProperties: form } } },
      responses: {
        201: { description: 'Drafts created', schema: { type: 'object', required: ['bundleId', 'applicationId', 'cases'], properties: { bundleId: { type: 'string', description: 'The application id (kept under this name for older clients)' }, applicationId: { type: 'string' }, cases: { type: 'array', items: COMMAND_RESULT_REF } } } },
        404: { description: 'Unknown bundle' },
        422: { description: 'A common field answered per service, a field no member asks for, or a member\'s form invalid' },
      },
      handler: async (ctx) => {
        const { bundle, services } = bundleOr404(ctx.params.bundleId);
        const { forms, problems } = splitBundleForms(services, ctx.body.form ?? {}, ctx.body.forms ?? {});
        if (problems.length) throw unprocessable(problems.join('; '), { slug: 'invalid-bundle-form', extensions: { problems } });
        const applicationId = caseIdFor(`bundle-${ctx.commandId}`);
        const commands = bundle.services.map((serviceId) => ({
          type: 'DraftApplication', commandId: `${ctx.commandId}-${serviceId}`, caseId: memberCaseId(applicationId, serviceId), actor: ctx.actor(), correlationId: ctx.requestId, serviceId, form: forms[serviceId] ?? {}, bundleId: applicationId,
        }) as CaseCommand);
        const keyed = { ifMatch: null, idempotencyKey: ctx.idempotencyKey };
        // Every member is decided before any is drafted: a form refused for a later member left the earlier ones
        // drafted, an application the applicant was told had failed.
        for (const command of commands) await runCommand(engine, keyed, command, 'check');
        const cases = [];
        for (const command of commands) cases.push((await runCommand(engine, keyed, command)).body);
        return {
          status: 201,
          body: { bundleId: applicationId, applicationId, cases },
          headers: { Location: `/api/v1/bundles/${bundle.id}/applications/${applicationId}` },
        };
      },
    }),
    defineRoute<{ bundleId: string; applicationId: string }, Record<string, never>, unknown>({
      method: 'get',
      path: '/bundles/:bundleId/applications/:applicationId',
      summary: 'One status for a bundle application: each service\'s state and everything outstanding across all of them',
      tags: ['citizen'],
      auth: ['citizen'],
      params: applicationParams,
      responses: { 200: { description: 'Bundle status', schema: statusSchema }, 404: { description: 'No such application for this applicant' } },
      handler: async (ctx) => {
        const { bundle } = bundleOr404(ctx.params.bundleId);
        const states = await members(ctx.requirePrincipal(), bundle, ctx.params.applicationId);
        return { status: 200, body: { bundleId: bundle.id, applicationId: ctx.params.applicationId, ...bundleStatus(states) } };
      },
    }),
    defineRoute<{ bundleId: string; applicationId: string }, Record<string, never>, Record<string, never>>({
      method: 'post',
      path: '/bundles/:bundleId/applications/:applicationId/submit',
      summary: 'Submit a bundle application once: every member still a draft is submitted',
      tags: ['citizen'],
      auth: ['citizen'],
      params: applicationParams,
      body: { type: 'object', properties: {}, additionalProperties: false },
      responses: {
        200: { description: 'Submitted; the bundle status after it', schema: statusSchema },
        404: { description: 'No such application for this applicant' },
        409: { description: 'Already submitted: no member is a draft' },
      },
      handler: async (ctx) => {
        const { bundle } = bundleOr404(ctx.params.bundleId);
        const principal = ctx.requirePrincipal();
        const before = await members(principal, bundle, ctx.params.applicationId);
        const drafts = before.filter((s) => s.status === 'draft');
        // The key names this submission: a retry under it finds nothing left to submit and answers the status (or
        // submits what its first send left); a new key on a submitted application is a conflict, and a key that
        // submitted another application is refused (422).
        await claimOrReplay(engine.stores.eventStore, { type: 'SubmitBundleApplication', commandId: ctx.commandId, actor: ctx.actor(), bundleId: bundle.id, applicationId: ctx.params.applicationId }, engine.clock.now().toISOString(), async () => {
          if (drafts.length === 0) throw conflict('this bundle application is already submitted', { slug: 'bundle-submitted' });
        });
        for (const state of drafts) {
          const command = { type: 'SubmitApplication', commandId: `${ctx.commandId}-${state.context.serviceId}`, caseId: state.context.caseId, actor: ctx.actor(), correlationId: ctx.requestId } as CaseCommand;
          await runCommand(engine, { ifMatch: null, idempotencyKey: ctx.idempotencyKey }, command);
        }
        const after = await members(principal, bundle, ctx.params.applicationId);
        return { status: 200, body: { bundleId: bundle.id, applicationId: ctx.params.applicationId, ...bundleStatus(after) } };
      },
    }),
  ];
}
