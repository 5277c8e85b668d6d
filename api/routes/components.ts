/**
 * The named schemas of the published contract: responses reference them, so a client generated from the document
 * gets one named type each (components['schemas']['CaseView'], ...), not anonymous copies per operation.
 */
import type { JsonSchema } from '../openapi/index.ts';
import { caseViewSchema, workItemSchema } from './case-view-schema.ts';
import { commandResultSchema } from './command-route.ts';
import { serviceDefinitionComponents } from './schema.routes.ts';
import { auditEntrySchema, citizenCaseSchema, dataUseSchema, serviceStatsSchema, serviceSummarySchema } from './view-schemas.ts';

const named = {
  CaseView: caseViewSchema,
  WorkItem: workItemSchema,
  CitizenCase: citizenCaseSchema,
  DataUse: dataUseSchema,
  AuditEntry: auditEntrySchema,
  ServiceSummary: serviceSummarySchema,
  ServiceStats: serviceStatsSchema,
  CommandResult: commandResultSchema,
} satisfies Record<string, JsonSchema>;

export type ContractSchemaName = keyof typeof named;

export const schemaRef = (name: ContractSchemaName | 'ServiceDefinition') => ({ $ref: `#/components/schemas/${name}` });

export function contractComponents(): Array<[string, JsonSchema]> {
  return [...Object.entries(named), ...serviceDefinitionComponents()];
}
