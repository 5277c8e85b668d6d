/**
 * What the OpenAPI document says about the case view and work items beyond "an object": the fields clients act on
 * for clock stops, automatic-approval referrals and 容缺 follow-ups. Not required, because a view stored by an
 * earlier projector version keeps serving (without them) while the new version is rebuilt.
 */
const date = { type: 'string', format: 'date' };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

export const caseViewSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    asOf: {
      type: 'object',
      description: 'Present on a past view (?asOf): the revision shown, the instant it stood for, and the case\'s revision now.',
      required: ['revision', 'instant', 'currentRevision'],
      properties: { revision: { type: 'string' }, instant: { type: 'string', format: 'date-time' }, currentRevision: { type: 'string' } },
    },
    clockStopped: {
      type: 'boolean',
      description: 'True while a supplement is awaited (the intake limit starts again from its arrival, art. 32) or the case is suspended.',
    },
    clockStoppedReason: nullable({
      type: 'object',
      required: ['kind', 'since', 'until'],
      properties: {
        kind: { enum: ['supplement', 'hearing', 'testing', 'inspection', 'expert_review'] },
        since: date,
        until: { ...nullable(date), description: 'The supplement due date; null for a suspension.' },
      },
    }),
    instantApproval: nullable({
      type: 'object',
      description: 'Why 秒批 left the case to a clerk: doubtful data (conflict, quality issue, provisional, unavailable, uploaded) or a failed condition.',
      required: ['kind', 'reasons', 'withheldOn'],
      properties: { kind: { enum: ['doubtful_data', 'conditions_not_met'] }, reasons: { type: 'array', items: { type: 'string' } }, withheldOn: date },
    }),
    obligations: {
      type: 'array',
      description: '容缺: non-key materials owed since acceptance or approval; a certified case stays open until each is provided.',
      items: {
        type: 'object',
        required: ['materialId', 'dueOn', 'recordedOn', 'providedOn', 'reminders'],
        properties: {
          materialId: { type: 'string' },
          dueOn: date,
          recordedOn: date,
          providedOn: nullable(date),
          reminders: { type: 'array', items: { type: 'object', required: ['level', 'raisedOn'], properties: { level: { enum: ['yellow', 'red'] }, raisedOn: date } } },
        },
      },
    },
    daysLeft: {
      type: 'object',
      additionalProperties: true,
      properties: { clockStopped: { type: 'boolean', description: 'Suspended, or awaiting a supplement.' } },
    },
  },
};

export const workItemSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    note: { ...nullable({ type: 'string' }), description: 'Why 秒批 left the case to a clerk, reasons joined by "; ".' },
    followUpsOwed: { type: 'integer', minimum: 0 },
    followUpDueOn: nullable(date),
    followUpOverdue: { type: 'boolean', description: 'A red card is out on an owed material.' },
  },
};
