/**
 * Published schemas: the JSON Schema service definitions are validated against (domain/catalogue/schema), served
 * as the file itself so authors and tools check a definition before the loader does.
 */
import { SERVICE_DEFINITION_SCHEMA } from '../../domain/catalogue/service-schema.ts';
import { defineRoute } from '../http/index.ts';

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
      responses: { 200: { description: 'The schema', schema: { type: 'object', required: ['$schema', '$id'], additionalProperties: true } } },
      handler: () => ({ status: 200, body: SERVICE_DEFINITION_SCHEMA }),
    }),
  ];
}
