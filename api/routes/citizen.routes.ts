import { createHash } from 'node:crypto';
import type { Engine } from '../../runtime/engine.ts';
import type { UploadStore } from '../../adapters/uploads/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { caseIdFor, claimIdempotencyKey } from '../../workflows/index.ts';
import { badRequest, defineRoute, payloadTooLarge, readBodyWithin, toProblem, unsupportedMediaType } from '../http/index.ts';
import { caseCommandRoute, caseParams, COMMAND_RESULT_REF, runCommand } from './command-route.ts';
import { representationFacts } from './agent.routes.ts';
import type { OnBehalfOf } from '../../domain/agents/representation.ts';
import { acceptedMediaTypes, contentMismatch, mediaTypeOfHeader } from '../../domain/catalogue/index.ts';

const form = { type: 'object', description: 'Field values of the service form', additionalProperties: true };
const text = (max: number) => ({ type: 'string', maxLength: max });

/** A document uploaded in place of evidence the platform could not fetch (a scanned certificate, say). */
const EVIDENCE_UPLOAD_LIMIT = 20 * 1024 * 1024;

/** A refusal the client caused (4xx): the command handler answers it only when nothing was appended. */
function refusedOutright(error: unknown): boolean {
  const { problem, unexpected, unavailable } = toProblem(error);
  return !unexpected && unavailable === undefined && problem.status >= 400 && problem.status < 500;
}

export function citizenRoutes(engine: Engine, uploads: UploadStore) {
  const citizen = ['citizen'] as const;
  return [
    defineRoute<Record<string, never>, Record<string, never>, { serviceId: string; serviceVersion?: number; form: Record<string, unknown>; onBehalfOf?: OnBehalfOf }>({
      method: 'post',
      path: '/cases',
      summary: 'Start an application (a draft case) for a service',
      tags: ['citizen'],
      auth: [...citizen],
      body: {
        type: 'object',
        required: ['serviceId', 'form'],
        properties: {
          serviceId: text(80),
          serviceVersion: { type: 'integer', minimum: 1 },
          form,
          onBehalfOf: {
            type: 'object',
            description: 'Apply as an agent: for an enterprise as its legal representative (checked against the legal-entity base data), or for a person or enterprise that recorded an authorisation naming you (POST /me/authorisations). The case\'s applicant is then that subject; you are its agent.',
            required: ['type', 'id', 'basis'],
            properties: {
              type: { enum: ['person', 'enterprise'] },
              id: text(40),
              basis: { enum: ['legalRepresentative', 'authorisation'] },
              authorisationId: { type: 'string', format: 'uuid' },
            },
          },
        },
      },
      command: 'DraftApplication',
      headers: { etag: true },
      responses: { 201: { description: 'Draft created', schema: COMMAND_RESULT_REF }, 404: { description: 'Unknown service' }, 422: { description: 'Form or applicant id invalid (errors[] names each form field: path /body/form/<name>, code, limit), the representation does not hold (not the legal representative in the base data; no valid authorisation naming you for this service), or the Idempotency-Key was used for another request' } },
      handler: async (ctx) => {
        const command = {
          type: 'DraftApplication',
          commandId: ctx.commandId,
          caseId: caseIdFor(ctx.commandId),
          actor: ctx.actor(),
          correlationId: ctx.requestId,
          serviceId: ctx.body.serviceId,
          serviceVersion: ctx.body.serviceVersion,
          form: ctx.body.form,
          ...(ctx.body.onBehalfOf ? { onBehalfOf: ctx.body.onBehalfOf, representation: await representationFacts(engine, ctx.body.onBehalfOf) } : {}),
        } as CaseCommand;
        const response = await runCommand(engine, ctx, command);
        return { ...response, status: 201, headers: { ...response.headers, Location: `/api/v1/cases/${command.caseId}` } };
      },
    }),
    defineRoute<{ caseId: string }, Record<string, never>, { form: Record<string, unknown> }>({
      method: 'put',
      path: '/cases/:caseId/form',
      summary: 'Replace the form of a draft',
      tags: ['citizen'],
      auth: [...citizen],
      params: caseParams,
      body: { type: 'object', required: ['form'], properties: { form } },
      command: 'UpdateDraft',
      headers: { etag: true },
      responses: { 200: { description: 'Updated', schema: COMMAND_RESULT_REF }, 404: { description: 'No such case for this caller' } },
      handler: (ctx) => runCommand(engine, ctx, { type: 'UpdateDraft', commandId: ctx.commandId, caseId: ctx.params.caseId, actor: ctx.actor(), form: ctx.body.form }),
    }),
    defineRoute<{ caseId: string; materialId: string }, { fileName?: string }, unknown>({
      method: 'post',
      path: '/cases/:caseId/materials/:materialId',
      summary: 'Upload a material: the request body is the file itself, Content-Type its media type',
      tags: ['citizen'],
      auth: [...citizen],
      params: { type: 'object', required: ['caseId', 'materialId'], properties: { caseId: { type: 'string', format: 'uuid' }, materialId: text(80) } },
      query: { type: 'object', properties: { fileName: text(200) } },
      command: 'UploadMaterial',
      headers: { etag: true },
      responses: { 200: { description: 'Uploaded', schema: COMMAND_RESULT_REF }, 404: { description: 'No such case for this caller' }, 413: { description: 'Larger than the material allows' }, 415: { description: 'Sent as JSON, or the content is not of the media type it was sent as (names the media types the material accepts)' }, 422: { description: 'A media type the material does not accept (names those it does), a material the service does not have, or an Idempotency-Key already used for another request (idempotency-key-reused)' } },
      handler: async (ctx) => {
        const mediaType = mediaTypeOfHeader(ctx.req.headers['content-type']);
        if (!mediaType || mediaType === 'application/json') throw unsupportedMediaType('send the file itself as the body, with its media type as Content-Type');
        const declared = Number(ctx.req.headers['content-length'] ?? NaN);
        const command = {
          type: 'UploadMaterial' as const,
          commandId: ctx.commandId,
          caseId: ctx.params.caseId,
          actor: ctx.actor(),
          materialId: ctx.params.materialId,
          fileName: ctx.query.fileName ?? `${ctx.params.materialId}`,
          mediaType,
          // Placeholders until the body is read; only the bytes' own size and digest are ever recorded.
          size: 1,
          sha256: '0'.repeat(64),
        };
        // Check first, store after: ownership, the case's state, the material id, its media type and size are all
        // decided before a byte of the body is read, so a refused upload leaves nothing behind. The Idempotency-Key
        // is checked once the bytes' digest is known, since it names this exact request.
        await runCommand(engine, { ifMatch: ctx.ifMatch }, command, 'check');
        const state = await engine.commands.load(ctx.params.caseId);
        const material = state.definition.materials.find((m) => m.id === ctx.params.materialId);
        const limit = material?.kind === 'upload' ? material.maxBytes : EVIDENCE_UPLOAD_LIMIT;
        if (Number.isSafeInteger(declared) && declared > limit) throw payloadTooLarge(limit);
        const bytes = await readBodyWithin(ctx.req, limit);
        if (bytes === null) throw payloadTooLarge(limit);
        if (bytes.length === 0) throw badRequest('the file is empty');
        const upload = { ...command, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
        const checked = await runCommand(engine, ctx, upload, 'check');
        if (checked.body.replayed) return checked;
        // The header is the sender's word (checked above against the material's list); the bytes must bear it out
        // before anything is stored. The check above refused a material the service does not have.
        const mismatch = material ? contentMismatch(mediaType, bytes) : null;
        if (material && mismatch) {
          const accepted = acceptedMediaTypes(material);
          throw unsupportedMediaType(`${mismatch}; material "${material.id}" accepts ${accepted.join(', ')}`, { extensions: { acceptedMediaTypes: [...accepted] } });
        }
        // Claimed before the bytes are stored: of two uploads sent at once under one key with different files, the
        // one refused (422) must leave no byte behind, and the check above only read the key.
        if (ctx.idempotencyKey !== undefined && ctx.idempotencyKey !== null) await claimIdempotencyKey(engine.stores.eventStore, upload, engine.clock.now().toISOString());
        const stored = await uploads.put(bytes, ctx.params.caseId);
        try {
          return await runCommand(engine, ctx, upload);
        } catch (error) {
          // Refused after the bytes were stored (another command moved the case since the check, e.g. a second
          // upload under the same If-Match): a 4xx recorded nothing, so this put is taken back. Anything else (the
          // store unreachable) may have recorded the event, so the file stays stored for the case until it is erased.
          if (refusedOutright(error)) {
            await uploads.release(ctx.params.caseId, stored).catch((releaseError: unknown) => {
              engine.logger.warn({ caseId: ctx.params.caseId, err: releaseError }, 'a refused upload could not be taken back; its file stays stored for the case until it is erased');
            });
          }
          throw error;
        }
      },
    }),
    caseCommandRoute(engine, {
      action: 'submit',
      command: 'SubmitApplication',
      summary: 'Submit the application; optionally ask Errand to fetch evidence that needs an explicit request, or sign the commitment (告知承诺)',
      auth: [...citizen],
      tag: 'citizen',
      body: { type: 'object', properties: { explicitRequests: { type: 'array', items: text(80), maxItems: 50 }, commitment: { type: 'boolean' } } },
    }),
    caseCommandRoute(engine, { action: 'revision', command: 'ProvideRevisionSupplement', summary: 'Answer a case sent back after a veto once every listed material is uploaded again', auth: [...citizen], tag: 'citizen' }),
    caseCommandRoute(engine, { action: 'supplement', command: 'ProvideSupplement', summary: 'Answer the supplement notice once every listed material is uploaded', auth: [...citizen], tag: 'citizen' }),
    caseCommandRoute(engine, {
      action: 'preview/confirm',
      command: 'ConfirmEvidencePreview',
      summary: 'Let fetched evidence be used after previewing it',
      auth: [...citizen],
      tag: 'citizen',
      body: { type: 'object', required: ['materialId'], properties: { materialId: text(80) } },
    }),
    caseCommandRoute(engine, {
      action: 'preview/refuse',
      command: 'RefuseEvidencePreview',
      summary: 'Refuse fetched evidence; the material must then be uploaded',
      auth: [...citizen],
      tag: 'citizen',
      body: { type: 'object', required: ['materialId'], properties: { materialId: text(80) } },
    }),
    caseCommandRoute(engine, { action: 'withdraw', command: 'WithdrawApplication', summary: 'Withdraw the application before a decision', auth: [...citizen], tag: 'citizen', body: { type: 'object', properties: { reason: text(500) } } }),
    caseCommandRoute(engine, {
      action: 'rating',
      command: 'RateCase',
      summary: 'Rate the service once (好差评, 1-5)',
      auth: [...citizen],
      tag: 'citizen',
      body: { type: 'object', required: ['score'], properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, comment: text(1000) } },
    }),
  ];
}
