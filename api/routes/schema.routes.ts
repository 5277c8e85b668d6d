/**
 * Published schemas: the JSON Schema service definitions are validated against (domain/catalogue/schema), served
 * as the file itself so authors and tools check a definition before the loader does.
 */
import { SERVICE_DEFINITION_SCHEMA } from '../../domain/catalogue/index.ts';
import { defineRoute } from '../http/index.ts';
import { schemaAsComponents, type JsonSchema } from '../openapi/index.ts';

/** The published schema as the document's ServiceDefinition components, so responses reference it, not a copy. */
export function serviceDefinitionComponents(): Array<[string, JsonSchema]> {
  return schemaAsComponents('ServiceDefinition', SERVICE_DEFINITION_SCHEMA as JsonSchema);
}

export function schemaRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/schemas/service-definition.json',
      summary: 'The JSON Schema (2020-12) of service definitions',
      description:
        'The shape every service definition must have; GET /services/{serviceId} answers with documents of this shape. ' +
        'The loader also checks references this schema cannot express (departments, data items, their fields and sharing).',
      tags: ['services'],
      auth: 'public',
      responses: { 200: { description: 'The schema', schema: {
        type: 'object',
        description: 'A JSON Schema document: open, as any JSON Schema may use more keywords than these.',
        required: ['$schema', '$id'],
        properties: { $schema: { type: 'string' }, $id: { type: 'string' } },
        additionalProperties: true,
      } } },
      handler: () => ({ status: 200, body: SERVICE_DEFINITION_SCHEMA }),
    }),
  ];
}
