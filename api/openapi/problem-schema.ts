/**
 * The shape of every error body (RFC 9457 plus this API's `requestId`, validation `errors` and the members named
 * below). Open on purpose: RFC 9457 lets a problem type add members, and a client must ignore ones it does not know.
 */
import type { JsonSchema } from './ajv.ts';

export const PROBLEM_SCHEMA_NAME = 'Problem';

export const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'urn:errand:problem:<slug>' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What was wrong, in a sentence a developer can act on.' },
    instance: { type: 'string', description: 'The request path.' },
    requestId: { type: 'string', description: 'Quote it when reporting a problem; it finds the log lines.' },
    errors: {
      type: 'array',
      description: 'Every validation error, for 400 responses.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
    state: { type: 'string', description: 'wrong-state (409): the state the case is in.' },
    command: { type: 'string', description: 'wrong-state (409): the command refused.' },
    allowedCommands: {
      type: 'array',
      items: { type: 'string' },
      description: 'wrong-state (409): the commands the case takes in its state; `actions` says how to send each.',
    },
    actions: { $ref: '#/components/schemas/Actions' },
    expectedRevision: { type: 'string', description: 'stale-revision (409): the revision sent in If-Match.' },
    currentRevision: { type: 'string', description: 'stale-revision (409): the case\'s revision now; reload and decide again.' },
    acceptedMediaTypes: {
      type: 'array',
      items: { type: 'string' },
      description: 'unsupported-media-type (415) for an upload whose content is not of the media type it was sent as: what the material accepts.',
    },
  },
  additionalProperties: true,
};

export const ACTIONS_SCHEMA_NAME = 'Actions';

/** Beside every `allowed` command list: how to send each command, from the route table (api-router.ts). */
export const actionsSchema: JsonSchema = {
  type: 'array',
  description: 'Each allowed command with the operation that issues it; `href` has the case id filled in (other `{name}` segments, such as a material id, are for the client to fill).',
  items: {
    type: 'object',
    required: ['command', 'method', 'href'],
    additionalProperties: false,
    properties: {
      command: { type: 'string', description: 'As listed in `allowed` / `allowedCommands`.' },
      method: { enum: ['POST', 'PUT', 'PATCH', 'DELETE'] },
      href: { type: 'string', description: 'e.g. /api/v1/cases/3f.../accept' },
    },
  },
};
