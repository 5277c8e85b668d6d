/**
 * Agents (代办) over HTTP: a person or enterprise records an authorisation naming the person who may apply for it
 * (授权委托书), and may revoke it. The agent names it when drafting (POST /cases with onBehalfOf), and a legal
 * representative names the enterprise; the facts are looked up here and checked by the domain.
 */
import type { Engine } from '../../runtime/engine.ts';
import { authorisationStream, foldAuthorisation, type Authorisation, type OnBehalfOf, type RepresentationFacts } from '../../domain/agents/representation.ts';
import { localDate } from '../../domain/calendar/index.ts';
import { isValidCitizenId } from '../../domain/identity/index.ts';
import type { Actor } from '../../domain/events/index.ts';
import { isWrongExpectedVersion } from '../../domain/events/index.ts';
import { claimIdempotencyKey, caseIdFor, eventIdFor } from '../../workflows/index.ts';
import { conflict, defineRoute, notFound, unprocessable } from '../http/index.ts';

export const authorisationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['authorisationId', 'grantor', 'agentId', 'serviceIds', 'validFrom', 'validUntil', 'revokedOn'],
  properties: {
    authorisationId: { type: 'string', format: 'uuid' },
    grantor: { type: 'object', additionalProperties: false, required: ['type', 'id'], properties: { type: { enum: ['person', 'enterprise'] }, id: { type: 'string' } } },
    agentId: { type: 'string', description: 'Citizen ID of the person authorised to apply.' },
    serviceIds: { type: 'array', items: { type: 'string' }, description: 'Services covered; empty: any.' },
    validFrom: { type: 'string', format: 'date' },
    validUntil: { type: 'string', format: 'date' },
    revokedOn: { type: ['string', 'null'], format: 'date' },
  },
};

const authorisationParams = { type: 'object', required: ['authorisationId'], properties: { authorisationId: { type: 'string', format: 'uuid' } } };

/** The facts a draft's onBehalfOf needs, looked up where they live: the base data, or the authorisation's stream. */
export async function representationFacts(engine: Engine, onBehalfOf: OnBehalfOf): Promise<RepresentationFacts> {
  if (onBehalfOf.basis === 'legalRepresentative') return { kind: 'legalRepresentative', record: await engine.legalEntities.lookup(onBehalfOf.id) };
  const id = onBehalfOf.authorisationId;
  return { kind: 'authorisation', authorisation: id ? foldAuthorisation(await engine.stores.eventStore.readStream(authorisationStream(id))) : null };
}

async function load(engine: Engine, authorisationId: string): Promise<Authorisation | null> {
  return foldAuthorisation(await engine.stores.eventStore.readStream(authorisationStream(authorisationId)));
}

const metadata = (actor: Actor, commandId: string, index: number, occurredAt: string, correlationId: string) => ({
  eventId: eventIdFor(commandId, index), schemaVersion: 1, occurredAt, correlationId, causationId: commandId, actor, commandId,
});

export function agentRoutes(engine: Engine) {
  const today = () => localDate(engine.clock.now(), engine.config.timeZone);
  return [
    defineRoute<Record<string, never>, Record<string, never>, { agentId: string; serviceIds?: string[]; validUntil: string }>({
      method: 'post',
      path: '/me/authorisations',
      summary: 'Authorise a person to apply on your behalf (授权委托), for some services or any, until a date',
      tags: ['citizen'],
      auth: ['citizen'],
      body: {
        type: 'object',
        required: ['agentId', 'validUntil'],
        properties: {
          agentId: { type: 'string', minLength: 18, maxLength: 18, description: 'The agent\'s citizen ID.' },
          serviceIds: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 80 }, maxItems: 20, uniqueItems: true },
          validUntil: { type: 'string', format: 'date' },
        },
      },
      responses: {
        201: { description: 'Recorded (or replayed for a repeated Idempotency-Key)', schema: authorisationSchema },
        422: { description: 'The agent\'s citizen ID is not valid, is your own, the date has passed or is more than a year away, or a service is unknown' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const { agentId, validUntil } = ctx.body;
        const serviceIds = ctx.body.serviceIds ?? [];
        const from = today();
        const problems: string[] = [];
        if (!isValidCitizenId(agentId)) problems.push('agentId: not a valid citizen ID (check character)');
        if (agentId === principal.id) problems.push('agentId: you cannot authorise yourself');
        const limit = `${Number(from.slice(0, 4)) + 1}${from.slice(4)}`;
        if (validUntil < from || validUntil > limit) problems.push(`validUntil: must be from ${from} to ${limit}`);
        for (const id of serviceIds) if (!engine.catalogue.latest(id)) problems.push(`serviceIds: "${id}" is not a service`);
        if (problems.length) throw unprocessable(problems.join('; '), { slug: 'invalid-authorisation', extensions: { problems } });
        const authorisationId = caseIdFor(`authorisation\u0000${ctx.commandId}`);
        const granted: Omit<Authorisation, 'revokedOn'> = {
          authorisationId, grantor: { type: principal.kind === 'citizen' ? principal.subjectType ?? 'person' : 'person', id: principal.id }, agentId, serviceIds, validFrom: from, validUntil,
        };
        const stream = authorisationStream(authorisationId);
        const location = { Location: `/api/v1/me/authorisations/${authorisationId}` };
        /** A key already used: the same request is answered with what was recorded, another one refused. */
        const replay = (existing: Authorisation) => {
          const same = existing.agentId === agentId && existing.validUntil === validUntil && existing.serviceIds.join() === serviceIds.join();
          if (!same) throw unprocessable('this Idempotency-Key was already used for another request; send a new key for a new request', { slug: 'idempotency-key-reused' });
          return { status: 201, body: existing, headers: location };
        };
        // The key names this request, claimed in the log before anything: the same key for another request (another
        // authorisation, a revocation) is refused there, atomically, even when both are sent at once.
        await claimIdempotencyKey(engine.stores.eventStore, { type: 'AuthoriseAgent', commandId: ctx.commandId, actor: ctx.actor(), agentId, serviceIds, validUntil }, engine.clock.now().toISOString());
        const existing = await load(engine, authorisationId);
        if (existing) return replay(existing);
        const at = engine.clock.now().toISOString();
        await engine.stores.eventStore.append(stream, [{ type: 'AgentAuthorised', data: granted as unknown as Record<string, unknown>, metadata: metadata(ctx.actor(), ctx.commandId, 0, at, ctx.requestId) }], { expectedRevision: 'no_stream' });
        // A request under the same key may have got there first (sent at once, both found nothing): the event id is
        // the key's, so this append stored nothing. Not every store says so (EventStoreDB answers a known event id
        // as a write), so the answer is always what is on record: this request's, or a refusal of another one.
        const recorded = await load(engine, authorisationId);
        if (!recorded) throw new Error('an authorisation just appended is not on record');
        return replay(recorded);
      },
    }),
    defineRoute<{ authorisationId: string }, Record<string, never>, unknown>({
      method: 'get',
      path: '/me/authorisations/:authorisationId',
      summary: 'An authorisation you gave, or one naming you as the agent',
      tags: ['citizen'],
      auth: ['citizen'],
      params: authorisationParams,
      responses: { 200: { description: 'The authorisation', schema: authorisationSchema }, 404: { description: 'No such authorisation for this caller' } },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const found = await load(engine, ctx.params.authorisationId);
        if (!found || (found.grantor.id !== principal.id && found.agentId !== principal.id)) throw notFound(`authorisation ${ctx.params.authorisationId} was not found`);
        return { status: 200, body: found };
      },
    }),
    defineRoute<{ authorisationId: string }, Record<string, never>, Record<string, never>>({
      method: 'post',
      path: '/me/authorisations/:authorisationId/revocation',
      summary: 'Revoke an authorisation you gave; cases already applied for stay as they are',
      tags: ['citizen'],
      auth: ['citizen'],
      params: authorisationParams,
      body: { type: 'object', properties: {}, additionalProperties: false },
      responses: { 200: { description: 'Revoked (again: unchanged)', schema: authorisationSchema }, 404: { description: 'No such authorisation given by this caller' }, 409: { description: 'Changed meanwhile; try again' } },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const stream = authorisationStream(ctx.params.authorisationId);
        const events = await engine.stores.eventStore.readStream(stream);
        const found = foldAuthorisation(events);
        if (!found || found.grantor.id !== principal.id) throw notFound(`authorisation ${ctx.params.authorisationId} was not found`);
        // The revocation's event id comes from its key: under the key that created the authorisation it would be
        // taken for that event, stored as nothing and answered "revoked". Such a key is refused here (422).
        await claimIdempotencyKey(engine.stores.eventStore, { type: 'RevokeAuthorisation', commandId: ctx.commandId, actor: ctx.actor(), authorisationId: found.authorisationId }, engine.clock.now().toISOString());
        if (found.revokedOn !== null) return { status: 200, body: found };
        const revokedOn = today();
        const at = engine.clock.now().toISOString();
        try {
          await engine.stores.eventStore.append(stream, [{
            type: 'AgentAuthorisationRevoked', data: { authorisationId: found.authorisationId, revokedOn }, metadata: metadata(ctx.actor(), ctx.commandId, 0, at, ctx.requestId),
          }], { expectedRevision: events.at(-1)!.revision });
        } catch (error) {
          if (!isWrongExpectedVersion(error)) throw error;
          throw conflict('the authorisation changed meanwhile; read it and try again', { slug: 'stale-revision' });
        }
        // Answered from the record, never from what was sent: "revoked" only when it is.
        const recorded = await load(engine, found.authorisationId);
        if (recorded?.revokedOn == null) throw new Error('a revocation just appended is not on record');
        return { status: 200, body: recorded };
      },
    }),
  ];
}
