import { PrivacyCommandError } from '../../adapters/privacy/erasure.ts';
import { ERASURE_DECIDED, ERASURE_REQUESTED, ERASURE_STREAM_PREFIX, LEGAL_HOLD_LIFTED, LEGAL_HOLD_PLACED } from '../../domain/privacy/events.ts';
import { caseRecordFacts } from '../../domain/privacy/retention.ts';
import { caseStream } from '../../domain/case/events.ts';
import { claimOrReplay } from '../../workflows/index.ts';
import type { Engine } from '../../runtime/engine.ts';
import type { FieldFilter } from '../../domain/ports/read-store.ts';
import { conflict, defineRoute, notFound, unprocessable } from '../http/index.ts';
import { caseParams } from './command-route.ts';
import { pagingQuery } from './paging.ts';
import type { Views } from './views.ts';
import { recordAccess } from './access-log.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
const caseId = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const kept = { type: 'object', required: ['caseId', 'why'], additionalProperties: false, properties: { caseId: { type: 'string' }, why: { enum: ['legal-hold', 'open', 'unknown'] } } };
const decision = {
  type: 'object',
  required: ['explanation', 'decidedBy', 'decidedOn', 'erased', 'kept'],
  additionalProperties: false,
  properties: {
    explanation: { type: 'string' },
    decidedBy: { type: 'string' },
    decidedOn: { type: 'string' },
    erased: { type: 'array', items: { type: 'string' } },
    kept: { type: 'array', items: kept },
  },
};
const erasureRequest = {
  type: 'object',
  required: ['requestId', 'caseIds', 'reason', 'requestedOn', 'requestedAt', 'status', 'decision'],
  additionalProperties: false,
  properties: {
    requestId: { type: 'string' },
    caseIds: { type: 'array', items: { type: 'string' } },
    reason: { type: 'string', description: 'The citizen\'s words; "[erased]" once the request itself was erased' },
    requestedOn: { type: 'string' },
    requestedAt: { type: 'string' },
    status: { enum: ['requested', 'accepted', 'refused'] },
    decision: { oneOf: [{ type: 'null' }, decision] },
  },
};
const page = pagingQuery(20, 100);
const retentionRun = {
  type: 'object',
  required: ['today', 'checked', 'shredded', 'held', 'finished', 'failed'],
  additionalProperties: false,
  properties: {
    today: { type: 'string' },
    checked: { type: 'integer' },
    shredded: { type: 'array', items: { type: 'object', required: ['caseId', 'part', 'rule'], additionalProperties: false, properties: { caseId: { type: 'string' }, part: { enum: ['case-records', 'evidence'] }, rule: { type: 'string' } } } },
    held: { type: 'array', items: { type: 'object', required: ['caseId', 'holds'], additionalProperties: false, properties: { caseId: { type: 'string' }, holds: { type: 'array', items: { type: 'string' } } } } },
    finished: { type: 'array', items: { type: 'string' }, description: 'Cases whose shredding was on record but not carried out (its process stopped in between): done now.' },
    failed: { type: 'array', items: { type: 'string' }, description: 'Cases this pass could not settle (logged); the cases after them were still checked, and the next pass tries them again.' },
  },
};

function mapped(error: unknown): never {
  if (error instanceof PrivacyCommandError) {
    if (error.code === 'not-found') throw notFound(error.message);
    if (error.code === 'not-yours') throw unprocessable(error.message, { slug: 'not-your-case' });
    throw conflict(error.message, { slug: error.code });
  }
  throw error;
}

/** Without the subject reference, which is for look-ups only. */
function shown(doc: Record<string, unknown>): Record<string, unknown> {
  const { subjectRef: _ref, revision: _revision, ...rest } = doc;
  return rest;
}

/** Erasure on request (citizen asks, administrator decides), legal holds and the retention pass. */
export function privacyRoutes(engine: Engine, views: Views) {
  /** Whether the case's log holds a placing (or lifting) of the hold: what a keyed retry's first send did. */
  const holdEventOnRecord = async (caseId: string, type: string, holdId: string) =>
    (await engine.stores.eventStore.readStream(caseStream(caseId))).some((e) => e.type === type && e.data.holdId === holdId);
  // What a first use of a key must pass before the key is claimed: a refused request records nothing.
  const caseExists = async (caseId: string) => {
    if ((await engine.stores.eventStore.readStream(caseStream(caseId), { maxCount: 1 })).length === 0) throw notFound(`no case ${caseId}`);
  };
  const holdStands = async (caseId: string, holdId: string) => {
    const events = await engine.stores.eventStore.readStream(caseStream(caseId));
    if (!events.some((e) => e.type === LEGAL_HOLD_PLACED && e.data.holdId === holdId)) throw notFound(`no legal hold ${holdId} on case ${caseId}`);
    if (!caseRecordFacts(events).holds.includes(holdId)) throw conflict(`legal hold ${holdId} is lifted already`, { slug: 'already-lifted' });
  };
  const undecided = async (requestId: string) => {
    const events = await engine.stores.eventStore.readStream(`${ERASURE_STREAM_PREFIX}${requestId}`);
    if (!events.some((e) => e.type === ERASURE_REQUESTED)) throw notFound(`no erasure request ${requestId}`);
    if (events.some((e) => e.type === ERASURE_DECIDED)) throw conflict(`erasure request ${requestId} is decided already`, { slug: 'already-decided' });
  };
  return [
    defineRoute<Record<string, never>, Record<string, never>, { caseIds: string[]; reason: string }>({
      method: 'post',
      path: '/erasure-requests',
      summary: 'Ask for the erasure of your personal data in cases whose purpose has ended (PIPL art. 47)',
      description: 'An administrator decides. An accepted request erases each named case that has ended and has no legal hold, by destroying its keys; the decision says which were kept and why.',
      tags: ['citizen'],
      auth: ['citizen'],
      body: {
        type: 'object',
        required: ['caseIds', 'reason'],
        additionalProperties: false,
        properties: { caseIds: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: caseId }, reason: text(2000) },
      },
      responses: {
        201: { description: 'Request recorded', schema: { type: 'object', required: ['requestId', 'replayed'], additionalProperties: false, properties: { requestId: { type: 'string' }, replayed: { type: 'boolean' } } } },
        422: { description: 'A case is not one of yours, or the Idempotency-Key was used for another request' },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const result = await engine.privacy
          .requestErasure({ subjectId: principal.id, caseIds: ctx.body.caseIds, reason: ctx.body.reason, commandId: ctx.commandId, actor: ctx.actor() })
          .catch(mapped);
        return { status: 201, body: result };
      },
    }),
    defineRoute<Record<string, never>, { page: number; pageSize: number; status?: string }, unknown>({
      method: 'get',
      path: '/erasure-requests',
      summary: 'Erasure requests and their decisions: a citizen sees their own, an administrator all (filter by status)',
      tags: ['citizen', 'admin'],
      auth: ['citizen', 'admin'],
      query: { type: 'object', additionalProperties: false, properties: { ...page, status: { enum: ['requested', 'accepted', 'refused'] } } },
      responses: {
        200: {
          description: 'Newest first',
          schema: { type: 'object', required: ['items', 'total', 'page', 'pageSize'], additionalProperties: false, properties: { items: { type: 'array', items: erasureRequest }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } },
        },
      },
      handler: async (ctx) => {
        const principal = ctx.requirePrincipal();
        const where: Record<string, FieldFilter> = {};
        if (principal.kind === 'citizen') where.subjectRef = engine.stores.eventStore.subjectRef(principal.id);
        if (ctx.query.status) where.status = ctx.query.status;
        const found = await views.find('erasureRequests', { where, orderBy: [{ field: 'requestedAt', direction: 'desc' }], limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        // An administrator reads citizens' requests (their reasons, their cases): a use of each requester's data,
        // recorded once per requester on the page served. The request names its subject by a keyed reference only,
        // so the requester is read from a case the request names (one still holding its applicant).
        if (principal.kind === 'admin') {
          const seen = new Set<string>();
          for (const item of found.items as Array<{ caseIds?: unknown }>) {
            const caseIds = Array.isArray(item.caseIds) ? item.caseIds.filter((id): id is string => typeof id === 'string') : [];
            for (const caseId of caseIds) {
              const view = (await views.get('caseView', caseId)) as { applicant?: { type: 'person' | 'enterprise'; id: string }; serviceId?: string } | null;
              const applicant = view?.applicant;
              if (!applicant || applicant.id === ERASED) continue;
              if (!seen.has(applicant.id)) {
                seen.add(applicant.id);
                await recordAccess(engine.stores.eventStore, ctx.actor(), { subject: applicant, caseId: null, serviceId: null, purpose: 'deciding an erasure request', fields: ['erasure-request'], channel: 'erasure-requests', result: 'granted' }, ctx.requestId);
              }
              break;
            }
          }
        }
        return { status: 200, body: { items: found.items.map(shown), total: found.total, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute<{ requestId: string }, Record<string, never>, { decision: 'accepted' | 'refused'; explanation: string }>({
      method: 'post',
      path: '/admin/erasure-requests/:requestId/decision',
      summary: 'Decide an erasure request; accepting erases the named cases that have ended and have no legal hold',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['requestId'], properties: { requestId: caseId } },
      body: { type: 'object', required: ['decision', 'explanation'], additionalProperties: false, properties: { decision: { enum: ['accepted', 'refused'] }, explanation: text(2000) } },
      responses: {
        200: { description: 'Decided', schema: { ...decision, required: [...decision.required, 'requestId', 'decision'], properties: { ...decision.properties, requestId: { type: 'string' }, decision: { enum: ['accepted', 'refused'] } } } },
        404: { description: 'No such request' },
        409: { description: 'Decided already' },
      },
      handler: async (ctx) => {
        const { requestId } = ctx.params;
        // Sent again under its key, the decision is answered as recorded (not 409 "decided already"); the key with
        // another decision or request is refused (422).
        const keyed = await claimOrReplay(engine.stores.eventStore, { type: 'DecideErasure', commandId: ctx.commandId, actor: ctx.actor(), requestId, decision: ctx.body.decision, explanation: ctx.body.explanation }, engine.clock.now().toISOString(), () => undecided(requestId));
        if (keyed === 'replay') {
          const recorded = (await engine.stores.eventStore.readStream(`${ERASURE_STREAM_PREFIX}${requestId}`)).find((e) => e.type === ERASURE_DECIDED);
          if (recorded) return { status: 200, body: recorded.data };
        }
        return { status: 200, body: await engine.privacy.decideErasure({ requestId, decision: ctx.body.decision, explanation: ctx.body.explanation, actor: ctx.actor() }).catch(mapped) };
      },
    }),
    defineRoute<{ caseId: string }, Record<string, never>, { holdId?: string; reason: string; basis: string }>({
      method: 'post',
      path: '/admin/cases/:caseId/legal-holds',
      summary: 'Place a legal hold (an appeal, an investigation): the case\'s data is not shredded until it is lifted',
      tags: ['admin'],
      auth: ['admin'],
      params: caseParams,
      body: { type: 'object', required: ['reason', 'basis'], additionalProperties: false, properties: { holdId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, reason: text(500), basis: text(500) } },
      responses: {
        201: { description: 'Placed (again: the same answer)', schema: { type: 'object', required: ['holdId'], additionalProperties: false, properties: { holdId: { type: 'string' } } } },
        404: { description: 'No such case' },
      },
      handler: async (ctx) => {
        // Unnamed, the hold takes the command id, which an Idempotency-Key keeps across retries: a retry finds its hold
        // placed instead of placing another one that no one knows to lift.
        const holdId = ctx.body.holdId ?? ctx.commandId;
        // The key names this placing: sent again it answers as the first time (never placing the hold again after it
        // was lifted); with another case, hold, reason or basis it is refused (422).
        const keyed = await claimOrReplay(engine.stores.eventStore, { type: 'PlaceLegalHold', commandId: ctx.commandId, actor: ctx.actor(), onCase: ctx.params.caseId, holdId, reason: ctx.body.reason, basis: ctx.body.basis }, engine.clock.now().toISOString(), () => caseExists(ctx.params.caseId));
        // A replay whose first send failed after claiming the key (the case store away) has nothing on record: done now.
        if (keyed === 'first' || !(await holdEventOnRecord(ctx.params.caseId, LEGAL_HOLD_PLACED, holdId))) {
          await engine.privacy.placeHold({ caseId: ctx.params.caseId, holdId, reason: ctx.body.reason, basis: ctx.body.basis, actor: ctx.actor() }).catch(mapped);
        }
        return { status: 201, body: { holdId } };
      },
    }),
    defineRoute<{ caseId: string; holdId: string }, Record<string, never>, { reason: string }>({
      method: 'post',
      path: '/admin/cases/:caseId/legal-holds/:holdId/lift',
      summary: 'Lift a legal hold',
      tags: ['admin'],
      auth: ['admin'],
      params: { type: 'object', required: ['caseId', 'holdId'], properties: { ...(caseParams as { properties: object }).properties, holdId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } },
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: text(500) } },
      responses: {
        200: { description: 'Lifted', schema: { type: 'object', required: ['holdId'], additionalProperties: false, properties: { holdId: { type: 'string' } } } },
        404: { description: 'No such case or hold' },
        409: { description: 'Lifted already' },
      },
      handler: async (ctx) => {
        const keyed = await claimOrReplay(engine.stores.eventStore, { type: 'LiftLegalHold', commandId: ctx.commandId, actor: ctx.actor(), onCase: ctx.params.caseId, holdId: ctx.params.holdId, reason: ctx.body.reason }, engine.clock.now().toISOString(), () => holdStands(ctx.params.caseId, ctx.params.holdId));
        if (keyed === 'first' || !(await holdEventOnRecord(ctx.params.caseId, LEGAL_HOLD_LIFTED, ctx.params.holdId))) {
          await engine.privacy.liftHold({ caseId: ctx.params.caseId, holdId: ctx.params.holdId, reason: ctx.body.reason, actor: ctx.actor() }).catch(mapped);
        }
        return { status: 200, body: { holdId: ctx.params.holdId } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/retention/run',
      summary: 'Run the retention pass now (it also runs daily): shreds what has expired under each service version\'s schedule',
      tags: ['admin'],
      auth: ['admin'],
      responses: { 200: { description: 'What the pass did', schema: retentionRun } },
      handler: async () => ({ status: 200, body: await engine.retention.run() }),
    }),
  ];
}
