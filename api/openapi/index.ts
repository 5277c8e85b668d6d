/** The OpenAPI 3.1 document built from route declarations, and the check of real responses against it. */
export { buildOpenApiDocument } from './document.ts';
export type { DocumentedResponse, DocumentedRoute, OpenApiDocument, OpenApiInfo } from './document.ts';
export { validateAgainstOpenApi } from './validate-response.ts';
export type { ResponseCheck } from './validate-response.ts';
export { closeObjects, componentId, issuesFrom, makeAjv, rewriteRefs } from './ajv.ts';
export type { AjvOptions, JsonSchema } from './ajv.ts';
export { actionsSchema, ACTIONS_SCHEMA_NAME, problemSchema, PROBLEM_SCHEMA_NAME } from './problem-schema.ts';
export { assertRoutePath, matchesTemplate, pathParamNames, toOpenApiPath } from './path-template.ts';
export { schemaAsComponents } from './hoist-defs.ts';
