/**
 * The case view and work item as the API serves them, closed so a client generated from the document knows every
 * field. Source of truth: projections/views/case-view/document.ts and work-queue/document.ts, plus what the API adds
 * when serving (a summary per timeline entry, daysLeft, allowed/actions, asOf).
 *
 * Required are only the fields every projector version has written: a view stored by an earlier version keeps
 * serving (without the newer ones) while the new version is rebuilt.
 */
import { CASE_STATUSES } from '../../workflows/index.ts';

const string = { type: 'string' };
const date = { type: 'string', format: 'date' };
const instant = { type: 'string' };
const strings = { type: 'array', items: string };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
/** A closed object: every property listed, these required. */
const closed = (properties: Record<string, object>, required: string[] = Object.keys(properties), extra: object = {}) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...extra,
});
const status = { enum: [...CASE_STATUSES] };
const due = closed({ statutory: date, promised: date });
const materialNotes = { type: 'array', items: closed({ materialId: string, note: string }) };

const material = closed(
  {
    kind: { enum: ['evidence', 'upload'] },
    key: { type: 'boolean' },
    status: { enum: ['missing', 'uploaded', 'to_fetch', 'fetching', 'received', 'awaiting_preview', 'upload_required'] },
    explicitRequest: { const: true },
    preview: { const: true },
    reason: string,
    conflicted: { const: true },
    file: closed({ fileName: string, mediaType: string, size: { type: 'integer' }, sha256: string, uploadedAt: instant }),
  },
  ['kind', 'key', 'status'],
);

const evidence = closed(
  {
    materialId: string,
    dataItem: string,
    provider: string,
    requestedFields: strings,
    status: { enum: ['requested', 'received', 'awaiting_preview', 'confirmed', 'refused', 'unavailable'] },
    requestedAt: nullable(instant),
    retrievedAt: nullable(instant),
    trustLevel: nullable({ enum: ['A', 'B', 'C', 'D'] }),
    contentHash: nullable(string),
    qualityIssues: strings,
    conflicts: { type: 'array', items: closed({ field: string, values: { type: 'array', items: closed({ source: string, value: {} }) } }) },
    unavailable: nullable(closed({ reason: string, detail: string })),
    fields: { ...nullable({ type: 'object', additionalProperties: true }), description: 'The fetched values (their fields are the data item\'s); null once the applicant refused the preview.' },
  },
  ['materialId', 'status'],
);

const timelineEntry = closed(
  {
    at: instant,
    type: { type: 'string', description: 'The event type, e.g. CaseAccepted.' },
    by: { type: 'string', description: 'Actor kind with the department it acted for: "citizen", "system", "clerk/PSB".' },
    facts: {
      type: 'object',
      description: 'Material ids, departments, dates and outcomes only: never a field value or free text.',
      additionalProperties: { anyOf: [string, { type: 'number' }, { type: 'boolean' }, strings] },
    },
    summary: { type: 'string', description: 'The entry in English (added when served).' },
  },
  ['at', 'type', 'summary'],
);

export const daysLeftSchema = closed(
  {
    promised: nullable({ type: 'integer' }),
    statutory: nullable({ type: 'integer' }),
    intake: nullable({ type: 'integer' }),
    supplement: nullable({ type: 'integer' }),
    clockStopped: { type: 'boolean', description: 'Suspended, or awaiting a supplement.' },
    provisional: { type: 'boolean', description: 'The calendar has no published arrangement for a date involved, so a count may change.' },
  },
  ['promised', 'statutory', 'intake', 'supplement'],
  { description: 'Days left to each due date, counted from today (or from the suspension while suspended); negative once past.' },
);

const caseViewProperties: Record<string, object> = {
  caseId: string,
  serviceId: string,
  serviceVersion: { type: 'integer' },
  bundleId: nullable(string),
  applicant: closed({ type: { enum: ['person', 'enterprise'] }, id: string }),
  applicantId: string,
  agent: { ...nullable(closed({ id: string, basis: { enum: ['legalRepresentative', 'authorisation'] }, authorisationId: string }, ['id', 'basis'])), description: 'Who applies on the applicant\'s behalf: the enterprise\'s legal representative or a person the applicant authorised. The applicant is the subject whose data the case uses.' },
  agentId: { ...nullable(string), description: 'agent.id, to filter on.' },
  department: { ...nullable(string), description: 'Lead department; null only when the service version is missing from the catalogue.' },
  coReviewers: strings,
  limits: nullable(closed({ calendar: string, dayKind: { enum: ['working', 'calendar'] } })),
  status,
  resumeTo: { ...nullable(status), description: 'The status CaseResumed returns to.' },
  open: { type: 'boolean' },
  revision: { type: 'string', pattern: '^\\d+$', description: 'The revision shown; the ETag, quoted.' },
  form: { type: 'object', additionalProperties: true, description: 'Field values, of the shape the service\'s form defines.' },
  commitment: { type: 'boolean' },
  commitmentVerifiedOn: nullable(date),
  draftedAt: instant,
  submittedAt: nullable(instant),
  acceptedAt: nullable(instant),
  decidedAt: nullable(instant),
  closedAt: nullable(instant),
  updatedAt: instant,
  submittedOn: nullable(date),
  acceptedOn: nullable(date),
  decidedOn: nullable(date),
  closedOn: nullable(date),
  intakeDueOn: nullable(date),
  receiptNo: nullable(string),
  deemedAccepted: { type: 'boolean' },
  missingNonKey: strings,
  supplement: nullable(closed({ requestedOn: date, dueOn: date, items: materialNotes, providedOn: nullable(date) })),
  notAccepted: nullable(closed({ reason: string, decidedOn: date })),
  due: nullable(due),
  promisedDueOn: nullable(date),
  statutoryDueOn: nullable(date),
  extensionDaysUsed: { type: 'integer' },
  extensions: { type: 'array', items: closed({ at: instant, days: { type: 'integer' }, reason: string, due }) },
  suspensions: { type: 'array', items: closed({ kind: string, reason: string, suspendedOn: date, resumedOn: nullable(date), dueAfter: nullable(due) }) },
  cards: { type: 'array', items: closed({ limit: { enum: ['promised', 'statutory'] }, dueOn: date, level: { enum: ['yellow', 'red'] }, raisedOn: date }) },
  warning: { type: 'boolean', description: 'A card is raised against the current due date.' },
  overdue: { type: 'boolean' },
  clockStopped: {
    type: 'boolean',
    description: 'True while a supplement is awaited (the intake limit starts again from its arrival, art. 32) or the case is suspended.',
  },
  clockStoppedReason: nullable(closed({
    kind: { enum: ['supplement', 'hearing', 'testing', 'inspection', 'expert_review'] },
    since: date,
    until: { ...nullable(date), description: 'The supplement due date; null for a suspension.' },
  })),
  instantApproval: nullable(closed(
    { kind: { enum: ['doubtful_data', 'conditions_not_met'] }, reasons: strings, withheldOn: date },
    ['kind', 'reasons', 'withheldOn'],
    { description: 'Why 秒批 left the case to a clerk: doubtful data (conflict, quality issue, provisional, unavailable, uploaded) or a failed condition.' },
  )),
  obligations: {
    type: 'array',
    description: '容缺: non-key materials owed since acceptance or approval; a certified case stays open until each is provided.',
    items: closed({
      materialId: string,
      dueOn: date,
      recordedOn: date,
      providedOn: nullable(date),
      reminders: { type: 'array', items: closed({ level: { enum: ['yellow', 'red'] }, raisedOn: date }) },
    }),
  },
  materials: { type: 'object', additionalProperties: material, description: 'By material id.' },
  outstanding: {
    type: 'array',
    description: 'What the applicant still has to provide.',
    items: closed({ materialId: string, reason: { enum: ['supplement', 'upload', 'preview', 'missing', 'followUp'] }, key: { type: 'boolean' }, note: nullable(string) }),
  },
  evidence: { type: 'object', additionalProperties: evidence, description: 'By material id.' },
  jointReview: nullable(closed(
    {
      startedOn: date,
      departments: strings,
      opinions: { type: 'object', additionalProperties: closed({ opinion: { enum: ['approve', 'deny'] }, comment: string, at: instant }) },
      advisory: { ...strings, description: 'Departments whose opinion does not bind (every other "deny" is a veto).' },
      revision: nullable(closed({ requestedOn: date, departments: strings, items: materialNotes, providedOn: nullable(date) })),
    },
    ['startedOn', 'departments', 'opinions'],
  )),
  decision: nullable(closed({ outcome: { enum: ['approved', 'denied'] }, by: { enum: ['clerk', 'rule', 'commitment'] }, decidedOn: date, reasons: strings })),
  certificate: nullable(closed({ certificateNo: string, certificateType: string, issuedOn: date, validUntil: nullable(date) })),
  revocation: nullable(closed({ reason: string, revokedOn: date })),
  withdrawal: nullable(closed({ reason: string, withdrawnOn: date })),
  holders: { type: 'object', additionalProperties: string, description: 'Department -> staff id of the clerk holding its part.' },
  rating: nullable(closed({ score: { type: 'integer' }, comment: string, at: instant })),
  fee: {
    ...closed({
      amount: { type: 'integer', minimum: 0, description: 'Fen to pay (0 when waived).' },
      currency: { const: 'CNY' },
      gross: { type: 'integer', minimum: 0, description: 'Fen before a waiver.' },
      lines: {
        type: 'array',
        items: closed({ kind: { enum: ['fixed', 'perUnit', 'cap'] }, amount: { type: 'integer' }, field: string, units: { type: 'number' } }, ['kind', 'amount']),
      },
      waivedBy: { ...nullable(string), description: 'The waiver rule of the service that applied.' },
      payBeforeCertificate: { type: 'boolean' },
      assessedOn: date,
      requiredOn: { ...nullable(date), description: 'Since when the certificate waits for payment.' },
      payment: nullable(closed(
        { paymentId: string, provider: string, providerRef: string, amount: { type: 'integer' }, paidAt: instant, refundDue: { ...string, description: 'Why the payment is owed back (confirmed after the approval was revoked); absent otherwise.' } },
        ['paymentId', 'provider', 'providerRef', 'amount', 'paidAt'],
      )),
      refunds: { type: 'array', items: closed({ refundId: string, amount: { type: 'integer' }, reason: string, refundedAt: instant }) },
      ordersClosedOn: { ...date, description: 'The approval was revoked and the fee\'s payment orders were closed at the provider on this day: none can be paid any more. Absent otherwise.' },
      failedRefunds: {
        type: 'array',
        items: closed({ refundId: string, amount: { type: 'integer' }, reportedAt: instant }),
        description: 'Refunds the provider closed or failed (nothing went back; never counted in refunds). Absent until one fails.',
      },
    }, ['amount', 'currency', 'gross', 'lines', 'waivedBy', 'payBeforeCertificate', 'assessedOn', 'requiredOn', 'payment', 'refunds']),
    description: '收费: present once a fee is assessed (on approval); amounts in whole fen.',
  },
  reconsideration: {
    ...nullable(closed({ appealCaseId: string, reviewingBody: string, requestedOn: date, deadline: date, outcome: nullable({ enum: ['upheld', 'overturned', 'withdrawn', 'notAccepted'] }), decidedOn: nullable(date) })),
    description: '行政复议: the linked case at the reviewing body and, once decided, its outcome.',
  },
  legalHolds: { type: 'array', items: closed({ holdId: string, reason: string, basis: string, placedBy: string }), description: 'Holds standing on the case\'s records.' },
  complaint: {
    ...nullable(closed({ score: { type: 'integer' }, openedOn: date, dueOn: date, response: nullable(string), respondedOn: nullable(date), overdue: { type: 'boolean' } })),
    description: '好差评 follow-up on a low rating: the department\'s answer is due by dueOn.',
  },
  timeline: { type: 'array', items: timelineEntry, description: 'One entry per event; entry i is the event at revision i.' },
  daysLeft: daysLeftSchema,
  allowed: { type: 'array', items: string, description: 'With ?actions=true: the commands this caller may issue now.' },
  reconsiderableUntil: { ...date, description: 'With ?actions=true, while the caller may ask for reconsideration: the last day it may be asked for (60 calendar days from the decision; an end on a day off moves to the first working day after it).' },
  actions: { $ref: '#/components/schemas/Actions' },
  asOf: closed(
    { revision: string, instant: { type: 'string', format: 'date-time' }, currentRevision: string },
    ['revision', 'instant', 'currentRevision'],
    { description: 'Present on a past view (?asOf): the revision shown, the instant it stood for, and the case\'s revision now.' },
  ),
};

/** Fields the first case-view projector already wrote, which every stored view therefore has. */
const everyVersion = [
  'caseId', 'serviceId', 'serviceVersion', 'bundleId', 'applicant', 'applicantId', 'department', 'coReviewers', 'limits', 'status',
  'resumeTo', 'open', 'revision', 'form', 'commitment', 'commitmentVerifiedOn', 'draftedAt', 'submittedAt', 'acceptedAt',
  'decidedAt', 'closedAt', 'updatedAt', 'submittedOn', 'acceptedOn', 'decidedOn', 'closedOn', 'intakeDueOn', 'receiptNo',
  'deemedAccepted', 'missingNonKey', 'supplement', 'notAccepted', 'due', 'promisedDueOn', 'statutoryDueOn', 'extensionDaysUsed',
  'extensions', 'suspensions', 'cards', 'warning', 'overdue', 'materials', 'outstanding', 'evidence', 'jointReview', 'decision',
  'certificate', 'revocation', 'withdrawal', 'rating', 'timeline', 'daysLeft',
];

export const caseViewSchema = closed(caseViewProperties, everyVersion);

const workItemProperties: Record<string, object> = {
  id: { type: 'string', description: '`${department}-${caseId}`' },
  department: string,
  role: { enum: ['lead', 'co-reviewer'] },
  caseId: string,
  serviceId: string,
  serviceVersion: { type: 'integer' },
  status,
  action: {
    enum: ['intake', 'awaiting-supplement', 'evidence', 'review', 'awaiting-opinions', 'awaiting-revision', 'decide', 'opinion', 'suspended', 'certificate', 'verify-commitment', 'awaiting-follow-up', 'awaiting-payment', 'refund-due', 'complaint'],
    description: '`refund-due`: a payment the provider took after the approval was revoked is owed back to the applicant (listed whatever the case\'s status, until refunded).',
  },
  waiting: { type: 'boolean', description: 'The item sits with someone else (applicant, providers, co-reviewers).' },
  dueOn: nullable(date),
  dueKind: nullable({ enum: ['intake', 'supplement', 'promised', 'certificate', 'verification', 'followUp', 'complaint'] }),
  promisedDueOn: nullable(date),
  statutoryDueOn: nullable(date),
  warning: { type: 'boolean' },
  overdue: { type: 'boolean' },
  submittedAt: nullable(instant),
  acceptedOn: nullable(date),
  receiptNo: nullable(string),
  note: { ...nullable(string), description: 'Why 秒批 left the case to a clerk, reasons joined by "; ".' },
  followUpsOwed: { type: 'integer', minimum: 0 },
  followUpDueOn: nullable(date),
  followUpOverdue: { type: 'boolean', description: 'A red card is out on an owed material.' },
  heldBy: { ...nullable(string), description: 'Staff id of the clerk holding the item; null while unclaimed.' },
  daysLeft: { ...nullable({ type: 'integer' }), description: 'Counted days to dueOn (null with no due date or while suspended).' },
  dayKind: { enum: ['working', 'calendar'] },
  provisional: { type: 'boolean' },
};

export const workItemSchema = closed(workItemProperties, [
  'id', 'department', 'role', 'caseId', 'serviceId', 'serviceVersion', 'status', 'action', 'waiting', 'dueOn', 'promisedDueOn',
  'statutoryDueOn', 'warning', 'overdue', 'submittedAt', 'daysLeft', 'dayKind', 'provisional',
]);
