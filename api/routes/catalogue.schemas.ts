/**
 * The OpenAPI shapes of the catalogue routes (catalogue.routes.ts): path parameters, bodies and answers, apart from
 * the handlers so each file reads as one concept.
 */
import type { ReviewKind } from '../../domain/catalogue/index.ts';

export const KIND_PATHS = { services: 'service', bundles: 'bundle', 'data-catalogue': 'data-catalogue', calendars: 'calendar' } as const satisfies Record<string, ReviewKind>;
export type KindPath = keyof typeof KIND_PATHS;
export const kindParam = { type: 'string', enum: Object.keys(KIND_PATHS), description: 'services, bundles, data-catalogue (whose one id is data-catalogue) or calendars (ids such as CN-2027)' };
export const idParam = { type: 'string', pattern: '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$', maxLength: 80 };
// A string, not an integer: coercing "1e309" gives Infinity, which ajv then lets through an integer's bounds.
export const versionParam = { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'A version number' };
export const definitionBody = { type: 'object', additionalProperties: true, description: 'A service definition (see GET /schemas/service-definition.json), a bundle definition, or the data catalogue document' };

export const entrySchema = {
  type: 'object',
  required: ['kind', 'id', 'version', 'status', 'body', 'updatedAt', 'updatedBy'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['service', 'bundle', 'data-catalogue', 'calendar'] },
    id: { type: 'string' },
    version: { type: 'integer' },
    status: { enum: ['draft', 'approved', 'published'] },
    body: { type: 'object', additionalProperties: true, description: 'The definition as written' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: 'string', description: 'kind:id of the administrator (or system) that wrote this status' },
  },
};
export const summarySchema = {
  type: 'object',
  required: ['kind', 'id', 'published', 'open', 'name'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['service', 'bundle', 'data-catalogue', 'calendar'] },
    id: { type: 'string' },
    published: { type: ['integer', 'null'], description: 'The version in force' },
    open: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['version', 'status', 'updatedAt', 'updatedBy'],
          additionalProperties: false,
          properties: { version: { type: 'integer' }, status: { enum: ['draft', 'approved'] }, updatedAt: { type: 'string' }, updatedBy: { type: 'string' } },
        },
      ],
    },
    name: { description: 'The name in both languages, when the definition has one', oneOf: [{ type: 'null' }, { type: 'object', additionalProperties: { type: 'string' } }] },
  },
};
export const auditSchema = {
  type: 'object',
  required: ['seq', 'at', 'actor', 'action', 'kind', 'id', 'version', 'details'],
  additionalProperties: false,
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'object', required: ['kind', 'id'], additionalProperties: false, properties: { kind: { type: 'string' }, id: { type: 'string' } } },
    action: { type: 'string', description: 'seeded, draft-saved, draft-discarded, approved, dry-run, published, publish-override, imported' },
    kind: { type: 'string' },
    id: { type: 'string' },
    version: { type: ['integer', 'null'] },
    details: { type: 'object', additionalProperties: true },
    commandId: { type: 'string', description: 'The command (Idempotency-Key) that made the change; one per change' },
  },
};
export const filesSchema = {
  type: 'array',
  maxItems: 5000,
  description: 'An administrator\'s import may be up to 32 MiB (other requests: BODY_LIMIT_BYTES)',
  items: {
    type: 'object',
    required: ['name', 'content'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', maxLength: 200, description: 'data-catalogue.json, services/<id>.v<version>.json, bundles/<id>.v<version>.json or calendars/<REGION>-<YEAR>.json' },
      content: { type: 'string', maxLength: 1_000_000, description: 'The file\'s JSON text' },
    },
  },
};
export const problems = (what: string) => ({ description: `${what}; errors[] names every problem by file and field` });


const difference = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['instant-approval', 'missing-materials', 'deadline', 'departments'] },
    was: { type: 'string', description: 'instant-approval: approved, withheld or clerk; deadline: the due date under the case\'s version' },
    would: { type: 'string', description: 'instant-approval: approve, withhold or clerk; deadline: the due date under the draft' },
    reasons: { type: 'array', items: { type: 'string' } },
    materials: { type: 'array', items: { type: 'object', required: ['materialId', 'key'], additionalProperties: false, properties: { materialId: { type: 'string' }, key: { type: 'boolean' } } } },
    limit: { enum: ['statutory', 'promised'] },
    added: { type: 'array', items: { type: 'string' } },
    removed: { type: 'array', items: { type: 'string' } },
  },
};
const count = { type: 'integer', minimum: 0 };
export const dryRunSchema = {
  type: 'object',
  required: ['serviceId', 'version', 'definitionHash', 'since', 'ranAt', 'by', 'totals', 'cases', 'truncated'],
  additionalProperties: false,
  properties: {
    serviceId: { type: 'string' },
    version: { type: 'integer' },
    definitionHash: { type: 'string', description: 'sha256 of the draft\'s canonical JSON: publication checks the dry run ran this very definition' },
    since: { type: ['string', 'null'], description: 'Cases drafted from this instant; null: all' },
    ranAt: { type: 'string', format: 'date-time' },
    by: { type: 'object', required: ['kind', 'id'], additionalProperties: false, properties: { kind: { type: 'string' }, id: { type: 'string' } } },
    totals: {
      type: 'object',
      required: ['cases', 'changed', 'unreadable', 'instantApproval', 'missingMaterials', 'deadlinesMoved', 'departmentsChanged'],
      additionalProperties: false,
      properties: {
        cases: count,
        changed: count,
        unreadable: count,
        instantApproval: { type: 'object', required: ['wouldApprove', 'wouldWithhold'], additionalProperties: false, properties: { wouldApprove: count, wouldWithhold: count } },
        missingMaterials: count,
        deadlinesMoved: count,
        departmentsChanged: count,
      },
    },
    cases: {
      type: 'array',
      description: 'Each case that would differ, with what would differ',
      items: {
        type: 'object',
        required: ['caseId', 'serviceVersion', 'draftedAt', 'differences'],
        additionalProperties: false,
        properties: { caseId: { type: 'string' }, serviceVersion: { type: 'integer' }, draftedAt: { type: 'string' }, differences: { type: 'array', items: difference } },
      },
    },
    truncated: { type: 'boolean', description: 'More cases differ than listed' },
  },
};

export const staffParams = { type: 'object', required: ['staffId'], properties: { staffId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' } } };
export const dutiesSchema = {
  type: 'object',
  required: ['staffId', 'department', 'roles'],
  additionalProperties: false,
  properties: { staffId: { type: 'string' }, department: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } }, name: { type: 'string' } },
};

export type KindParams = { kind: KindPath; id: string };
export type VersionParams = KindParams & { version: string };
