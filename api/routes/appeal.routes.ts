/**
 * Appeals and complaints over HTTP. A reconsideration request is recorded on the original case (with a legal hold on
 * its records) and opens the linked case at the reviewing body under ids derived from the request, so a retried
 * request (same Idempotency-Key) completes whatever the first one did not, and records nothing twice; any later request
 * by a party (any key, or none) opens a linked case the recorded request never got.
 */
import type { Engine } from '../../runtime/engine.ts';
import { RECONSIDERATION_SERVICES } from '../../domain/appeals/reconsideration.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { Actor } from '../../domain/events/index.ts';
import { caseIdFor } from '../../workflows/index.ts';
import { defineRoute } from '../http/index.ts';
import { representationFacts } from './agent.routes.ts';
import { caseCommandRoute, caseParams, COMMAND_RESULT_REF, runCommand } from './command-route.ts';

export function appealRoutes(engine: Engine) {
  /** The linked case's draft at the reviewing body; its command ids derive from the linked case's id, so any retry is the same. */
  const linkedDraft = async (appealCaseId: string, caseId: string, actor: Actor, grounds: string, correlationId: string): Promise<CaseCommand> => {
    const original = await engine.commands.load(caseId);
    const applicant = original.context.applicant!;
    const agent = original.context.agent;
    const onBehalfOf = actor.id !== applicant.id && agent ? { type: applicant.type, id: applicant.id, basis: agent.basis, ...(agent.authorisationId ? { authorisationId: agent.authorisationId } : {}) } : undefined;
    return {
      type: 'DraftApplication',
      commandId: `${appealCaseId}:reconsideration-draft`,
      caseId: appealCaseId,
      actor,
      correlationId,
      serviceId: RECONSIDERATION_SERVICES[applicant.type],
      form: { originalCaseId: caseId, originalServiceId: original.definition.id, grounds },
      reconsiderationOf: caseId,
      ...(onBehalfOf ? { onBehalfOf, representation: await representationFacts(engine, onBehalfOf) } : {}),
    } as CaseCommand;
  };
  const openLinkedCase = async (appealCaseId: string, caseId: string, actor: Actor, grounds: string, correlationId: string) => {
    await engine.commands.handle(await linkedDraft(appealCaseId, caseId, actor, grounds, correlationId)).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'CASE_EXISTS') throw error;
    });
    await engine.commands.handle({ type: 'SubmitApplication', commandId: `${appealCaseId}:reconsideration-submit`, caseId: appealCaseId, actor, correlationId } as CaseCommand);
  };
  return [
    defineRoute<{ caseId: string }, Record<string, never>, { grounds: string }>({
      method: 'post',
      path: '/cases/:caseId/reconsideration',
      summary: 'Ask for administrative reconsideration (行政复议) of a denial or a refusal to accept, within 60 days of the decision',
      description: 'Records the request and a legal hold on the case, and opens a linked case at the reviewing body (reconsideration.appealCaseId on the case view). Its outcome is recorded on this case when the reviewing body decides, and the hold lifted.',
      tags: ['citizen'],
      auth: ['citizen'],
      params: caseParams,
      body: { type: 'object', required: ['grounds'], properties: { grounds: { type: 'string', minLength: 1, maxLength: 2000 } } },
      command: 'RequestReconsideration',
      headers: { etag: true },
      responses: {
        200: { description: 'Requested (or replayed for a repeated Idempotency-Key)', schema: COMMAND_RESULT_REF },
        404: { description: 'No such case for this caller' },
        409: { description: 'Nothing to reconsider (not denied or not accepted) or already asked, or stale If-Match' },
        403: { description: 'The token does not hold a role this operation needs, or the caller is an agent whose authorisation (or legal representation) no longer holds' },
        422: { description: 'The 60 days have passed, the grounds are empty, or the Idempotency-Key was used for another request' },
      },
      handler: async (ctx) => {
        const caseId = ctx.params.caseId;
        const actor = ctx.actor();
        // A request recorded whose linked case was never opened (the process failed between the writes): any later
        // request by a party opens it now, whatever key it carries, so the hold never stands without a case to lift it.
        const before = await engine.commands.load(caseId).catch(() => null);
        const pending = before?.context.reconsideration;
        const party = actor.kind === 'citizen' && (actor.id === before?.context.applicant?.id || actor.id === before?.context.agent?.id);
        if (before && pending && pending.outcome === null && party) {
          const linked = await engine.commands.load(pending.appealCaseId).catch(() => null);
          if (!linked || linked.status === 'draft') await openLinkedCase(pending.appealCaseId, caseId, actor, ctx.body.grounds, ctx.requestId);
        }
        const appealCaseId = caseIdFor(`reconsideration\u0000${ctx.commandId}`);
        const request = { type: 'RequestReconsideration' as const, commandId: ctx.commandId, caseId, actor, correlationId: ctx.requestId, appealCaseId, grounds: ctx.body.grounds };
        // The domain's verdict on the original case first: strangers get 404, a wrong state 409, a late request 422.
        await runCommand(engine, { ifMatch: ctx.ifMatch }, request, 'check');
        const draft = await linkedDraft(appealCaseId, caseId, actor, ctx.body.grounds, ctx.requestId);
        // An agent whose authorisation lapsed could not open the linked case: refuse before recording anything.
        await engine.commands.check(draft).catch((error: unknown) => {
          if ((error as { code?: string }).code !== 'CASE_EXISTS') throw error;
        });
        const recorded = await runCommand(engine, ctx, request);
        await openLinkedCase(appealCaseId, caseId, actor, ctx.body.grounds, ctx.requestId);
        return recorded;
      },
    }),
    caseCommandRoute(engine, {
      action: 'complaint-answer',
      command: 'AnswerComplaint',
      summary: 'Answer the applicant\'s low rating (好差评 ≤ 2) by its due date; the applicant sees the answer',
      auth: ['clerk'],
      tag: 'clerk',
      body: { type: 'object', required: ['response'], properties: { response: { type: 'string', minLength: 1, maxLength: 2000 } } },
    }),
  ];
}
