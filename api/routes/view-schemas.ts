/**
 * List items as the API serves them (citizen case list, who used my data, audit trail, service summaries), closed
 * so a generated client knows every field. Sources of truth: the documents under projections/views/ and
 * serviceSummary in read.routes.ts. Required are the fields every projector version has written.
 */
import { COUNTERS } from '../../projections/views/service-stats/index.ts';
import { CASE_STATUSES } from '../../workflows/index.ts';

const string = { type: 'string' };
const strings = { type: 'array', items: string };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const closed = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const status = { enum: [...CASE_STATUSES] };
const localized = { type: 'object', additionalProperties: string, description: 'Text by language tag (zh-CN, en).' };

export const citizenCaseSchema = closed(
  {
    caseId: string,
    applicantId: string,
    applicantType: { enum: ['person', 'enterprise'] },
    agentId: { ...nullable(string), description: 'The agent acting for the applicant (legal representative, authorised person), when someone does.' },
    serviceId: string,
    serviceVersion: { type: 'integer' },
    bundleId: nullable(string),
    status,
    resumeTo: nullable(status),
    open: { type: 'boolean' },
    action: { ...nullable({ enum: ['submit', 'supplement', 'preview', 'upload', 'rate'] }), description: 'What the applicant should do next, if anything.' },
    pending: { type: 'object', additionalProperties: { enum: ['preview', 'upload'] }, description: 'Materials to preview or upload, by id.' },
    draftedAt: string,
    updatedAt: string,
    submittedOn: nullable(string),
    promisedDueOn: nullable(string),
    outcome: nullable({ enum: ['approved', 'denied'] }),
    certificateNo: nullable(string),
    rated: { type: 'boolean' },
    revision: string,
  },
  ['caseId', 'applicantId', 'serviceId', 'serviceVersion', 'status', 'open', 'draftedAt', 'updatedAt', 'revision'],
);

const accessProperties = {
  department: { ...nullable(string), description: 'The department that asked for or looked at the data.' },
  holder: { ...nullable(string), description: 'The department holding the data, for evidence fetched from a provider.' },
  caseId: nullable(string),
  serviceId: nullable(string),
  purpose: string,
  legalBasis: nullable(string),
  dataItem: nullable(string),
  fields: { ...strings, description: 'Names only, never values.' },
  channel: string,
  result: string,
};

export const dataUseSchema = closed(
  {
    ...accessProperties,
    id: string,
    subjectId: string,
    subjectType: { enum: ['person', 'enterprise'] },
    at: string,
    accessorKind: { enum: ['clerk', 'auditor', 'admin', 'department', 'system'] },
  },
  ['id', 'subjectId', 'at', 'purpose', 'fields', 'channel', 'result'],
);

export const auditEntrySchema = closed(
  {
    id: string,
    seq: { type: 'integer' },
    prevHash: string,
    hash: string,
    at: string,
    category: { enum: ['case', 'data-access', 'other'] },
    eventType: string,
    streamId: string,
    revision: string,
    checkpoint: string,
    eventHash: { ...nullable(string), description: 'The event log\'s own hash link at this event (null on a store without one).' },
    commandId: string,
    correlationId: string,
    caseId: nullable(string),
    subjectId: nullable(string),
    serviceId: nullable(string),
    actorKind: string,
    actorId: string,
    actorDepartment: nullable(string),
    actorRoles: strings,
    statusBefore: nullable(status),
    statusAfter: nullable(status),
    access: nullable(closed(accessProperties)),
  },
  ['id', 'seq', 'prevHash', 'hash', 'at', 'category', 'eventType', 'streamId', 'revision', 'commandId', 'actorKind', 'actorId'],
);

export const serviceSummarySchema = closed(
  {
    id: string,
    version: { type: 'integer' },
    name: localized,
    department: string,
    coReviewers: strings,
    applicantType: { enum: ['person', 'enterprise'] },
    legalBasis: string,
    promisedDays: { type: 'integer' },
    statutoryDays: { type: 'integer' },
    dayKind: { enum: ['working', 'calendar'] },
    instantApproval: { type: 'boolean', description: 'The service can approve at once (秒批).' },
    commitment: { type: 'boolean', description: 'The service offers 告知承诺.' },
    fee: {
      ...closed(
        {
          amount: { type: 'number' },
          currency: { const: 'CNY' },
          perUnit: closed({ field: string, amount: { type: 'number' } }),
          maximum: { type: 'number' },
          waivers: { type: 'array', items: closed({ id: string, label: localized, field: string, equals: { type: ['string', 'number', 'boolean'] } }) },
          payBefore: { const: 'certificate' },
        },
        ['amount', 'currency'],
      ),
      description: '收费 in yuan: a fixed amount plus perUnit.amount for each unit the form field answers, at most maximum; a waiver whose field answers `equals` makes it free; payBefore "certificate": the certificate waits for payment.',
    },
    outcome: closed({ certificateType: string, name: localized, validityMonths: nullable({ type: 'integer' }) }),
  },
  ['id', 'version', 'name', 'department', 'promisedDays', 'statutoryDays', 'instantApproval', 'commitment'],
);

const count = { type: 'integer', minimum: 0 };
const share = { ...nullable({ type: 'number', minimum: 0, maximum: 1 }), description: 'A share in 0..1; null when the denominator is zero.' };
const counts = { type: 'object', additionalProperties: { type: 'integer' } };

const statsSummary = closed({
  id: string,
  kind: { enum: ['service', 'department'] },
  serviceId: nullable(string),
  department: nullable(string),
  received: count,
  accepted: count,
  notAccepted: count,
  withdrawn: count,
  decided: count,
  approved: count,
  denied: count,
  revoked: count,
  medianDays: { ...nullable({ type: 'number' }), description: 'Days from acceptance to decision (nearest rank); null before any decision.' },
  p90Days: nullable({ type: 'number' }),
  dayKind: { enum: ['working', 'calendar'] },
  onTimeRate: share,
  statutoryOnTimeRate: share,
  autoFetchShare: { ...share, description: 'Fetched / (fetched + uploaded): the trips saved by fetching instead of asking.' },
  instantApprovalRate: share,
  supplementRate: share,
  ratings: closed({ count, average: nullable({ type: 'number' }), distribution: counts, bad: count }),
});

/** A service's (id = serviceId) or a lead department's (id = dept-<code>) counters, and their summary. */
export const serviceStatsSchema = closed(
  {
    id: string,
    kind: { enum: ['service', 'department'] },
    serviceId: nullable(string),
    department: nullable(string),
    ...Object.fromEntries(COUNTERS.map((counter) => [counter, count])),
    durations: { ...counts, description: '"acceptedOn/decidedOn" date pairs -> cases; counted in days with the calendar at read time.' },
    ratingDistribution: { ...counts, description: '"1".."5" -> count.' },
    updatedAt: string,
    summary: statsSummary,
  },
  ['id', 'kind', 'department', 'summary'],
);
