import type { CaseCommand, CaseCommandMap, CaseCommandType } from '../../domain/case/commands.ts';
import { ForbiddenCommandError } from '../../domain/case/errors.ts';
import { representationProblems, type OnBehalfOf } from '../../domain/agents/representation.ts';
import { localDate } from '../../domain/calendar/index.ts';
import type { Engine } from '../../runtime/engine.ts';
import type { Actor } from '../../domain/events/index.ts';
import { allowedCommandsFor, type CaseState, type CommandResult } from '../../workflows/index.ts';
import { defineRoute, notFound, revisionEtag, type RouteContext } from '../http/index.ts';
import type { Role } from '../auth/index.ts';
import type { JsonSchema } from '../openapi/index.ts';
import { representationFacts } from './agent.routes.ts';

/** Where responses point; the schema itself is registered as a component (components.ts). */
export const COMMAND_RESULT_REF = { $ref: '#/components/schemas/CommandResult' };

export const commandResultSchema: JsonSchema = {
  type: 'object',
  required: ['caseId', 'revision', 'status', 'events', 'replayed', 'allowed'],
  properties: {
    caseId: { type: 'string' },
    revision: { type: 'string', pattern: '^-?\\d+$', description: 'Case revision after the command; send it back as If-Match.' },
    status: { type: 'string' },
    events: { type: 'array', items: { type: 'string' }, description: 'Types of the events this command recorded.' },
    replayed: { type: 'boolean', description: 'True when the Idempotency-Key had been used: nothing new was recorded.' },
    allowed: { type: 'array', items: { type: 'string' }, description: 'Commands the case takes next that this caller may issue.' },
    actions: { $ref: '#/components/schemas/Actions' },
  },
  additionalProperties: false,
};

export function commandResponse(result: CommandResult, actor: Actor) {
  return {
    status: 200,
    body: {
      caseId: result.caseId,
      revision: result.revision.toString(),
      status: result.status,
      events: result.events.map((e) => e.type),
      replayed: result.replayed,
      allowed: allowedCommandsFor(result.state, actor),
    },
    headers: { ETag: revisionEtag(result.revision) },
  };
}

/**
 * An agent acts on a case only while the basis it applied on still holds: a revoked or lapsed authorisation, or a
 * legal representative the base data no longer names, leaves the case to the applicant (403). The agent still sees
 * the case it applied for; it can no longer change it. Checked here, at the edge that looks the facts up, as drafting
 * and reconsideration do.
 */
async function refuseLapsedAgent(engine: Engine, command: CaseCommand): Promise<void> {
  if (command.actor.kind !== 'citizen' || command.type === 'DraftApplication') return;
  const state = await engine.commands.load(command.caseId).catch(() => null);
  const problems = state ? await lapsedAgentProblems(engine, state, command.actor) : [];
  if (problems.length) throw new ForbiddenCommandError(command.type, `you no longer act for the applicant: ${problems.join('; ')}`);
}

/** Why `actor`, the case's agent, no longer acts for its applicant; none for anyone else or while the basis holds. */
export async function lapsedAgentProblems(engine: Engine, state: CaseState, actor: Actor): Promise<string[]> {
  const agent = state.context.agent;
  const applicant = state.context.applicant;
  if (actor.kind !== 'citizen' || !agent || !applicant || agent.id !== actor.id || applicant.id === actor.id) return [];
  const onBehalfOf: OnBehalfOf = { type: applicant.type, id: applicant.id, basis: agent.basis, ...(agent.authorisationId ? { authorisationId: agent.authorisationId } : {}) };
  const facts = await representationFacts(engine, onBehalfOf);
  return representationProblems(agent.id, onBehalfOf, facts, { serviceId: state.definition.id, applicantType: state.definition.applicantType, today: localDate(engine.clock.now(), engine.config.timeZone) });
}

/** Runs a case command for a request; someone unrelated to the case learns nothing, not even that it exists. */
export async function runCommand(
  engine: Engine,
  ctx: Pick<RouteContext<unknown, unknown, unknown>, 'ifMatch'> & { idempotencyKey?: string | null },
  command: CaseCommand,
  mode: 'handle' | 'check' = 'handle',
) {
  const keyed = ctx.idempotencyKey !== undefined && ctx.idempotencyKey !== null;
  try {
    await refuseLapsedAgent(engine, command);
    return commandResponse(await engine.commands[mode](command, { ...(ctx.ifMatch === null ? {} : { expectedRevision: ctx.ifMatch }), keyed }), command.actor);
  } catch (error) {
    if (error instanceof ForbiddenCommandError && error.relation === 'stranger') throw notFound(`case ${command.caseId} was not found`);
    throw error;
  }
}

const caseParams: JsonSchema = {
  type: 'object',
  required: ['caseId'],
  properties: { caseId: { type: 'string', format: 'uuid' } },
};

/** A POST /cases/:caseId/<action> route that issues one case command built from the body. */
export function caseCommandRoute<K extends CaseCommandType, B extends object>(engine: Engine, spec: {
  action: string;
  command: K;
  summary: string;
  auth: Role[];
  tag: string;
  body?: JsonSchema;
  toPayload?: (body: B) => Omit<CaseCommandMap[K], never>;
}) {
  return defineRoute<{ caseId: string }, Record<string, never>, B>({
    method: 'post',
    path: `/cases/:caseId/${spec.action}`,
    summary: spec.summary,
    tags: [spec.tag],
    auth: spec.auth,
    params: caseParams,
    body: spec.body ?? { type: 'object', properties: {}, additionalProperties: false },
    command: spec.command,
    headers: { etag: true },
    responses: {
      200: { description: 'Recorded (or replayed for a repeated Idempotency-Key)', schema: COMMAND_RESULT_REF },
      404: { description: 'No such case for this caller' },
      409: { description: 'Refused in the case\'s state (names the state and the commands this caller may issue now) or stale If-Match' },
      422: { description: 'The command does not fit the case, or its Idempotency-Key was used for another request' },
    },
    handler: async (ctx) => {
      const payload = spec.toPayload ? spec.toPayload(ctx.body) : (ctx.body as object);
      const command = { ...payload, type: spec.command, commandId: ctx.commandId, caseId: ctx.params.caseId, actor: ctx.actor(), correlationId: ctx.requestId } as unknown as CaseCommand;
      return runCommand(engine, ctx, command);
    },
  });
}

export { caseParams };
