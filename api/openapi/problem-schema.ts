/** The shape of every error body (RFC 9457 plus this API's `requestId` and validation `errors`). */
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
  },
  additionalProperties: true,
};
