import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { Actor } from '../../domain/events/index.ts';
import { makeCitizenId, makeCreditCode } from '../../domain/identity/index.ts';
import { loadCalendar, loadDataCatalogue } from '../../adapters/files/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import { applyEvents, decide, emptyCase, type CaseState, type Decision } from '../../workflows/index.ts';

export const APPLICANT = makeCitizenId({ region: '440305', birthDate: '1990-05-17', sequence: 123 });
export const OTHER_CITIZEN = makeCitizenId({ region: '440305', birthDate: '1985-01-02', sequence: 456 });
export const ENTERPRISE = makeCreditCode({ registrationAuthority: '9', category: '1', region: '440300', organisationCode: 'MA5F1B2C3' });

export const citizen = (id = APPLICANT): Actor => ({ kind: 'citizen', id });
export const clerk = (department: string, roles = ['intake', 'reviewer', 'approver']): Actor => ({ kind: 'clerk', id: `clerk-${department}`, department, roles });
export const SYSTEM: Actor = { kind: 'system', id: 'test-system' };

const label = (en: string) => ({ 'zh-CN': en, en });

const baseLimits = {
  calendar: 'CN',
  dayKind: 'working' as const,
  statutoryDays: 20,
  promisedDays: 10,
  warningDays: 2,
  extensionDays: 10,
  certificateDays: 10,
  supplementDays: 5,
};

/** Residence registration at PSB: one fetched item, one key upload, one non-key upload (容缺). */
export const SINGLE: ServiceDefinition = {
  id: 'test-residence',
  version: 1,
  name: label('Residence registration'),
  legalBasis: 'Regulations on Household Registration',
  department: 'PSB',
  coReviewers: [],
  applicantType: 'person',
  form: [
    { name: 'address', type: 'string', required: true, label: label('Address'), maxLength: 200 },
    { name: 'movingDate', type: 'date', required: false, label: label('Moving date') },
  ],
  materials: [
    { id: 'household', kind: 'evidence', name: label('Household registration'), key: true, dataItem: 'household-registration', fields: ['citizenId', 'name', 'address'] },
    { id: 'photo', kind: 'upload', name: label('Photo'), key: true, mediaTypes: ['image/jpeg'], maxBytes: 2_000_000 },
    { id: 'lease', kind: 'upload', name: label('Lease'), key: false, mediaTypes: ['application/pdf'], maxBytes: 5_000_000 },
  ],
  limits: baseLimits,
  fee: { amount: 0, currency: 'CNY' },
  outcome: { certificateType: 'RESIDENCE', name: label('Residence permit'), validityMonths: 12 },
};

export const JOINT: ServiceDefinition = {
  ...SINGLE,
  id: 'test-restaurant',
  name: label('Restaurant opening'),
  department: 'AMR',
  coReviewers: ['FIRE', 'HEALTH'],
  applicantType: 'enterprise',
  form: [{ name: 'premises', type: 'string', required: true, label: label('Premises') }],
  materials: [
    { id: 'registration', kind: 'evidence', name: label('Business registration'), key: true, dataItem: 'business-registration', fields: ['creditCode', 'enterpriseName'] },
  ],
  limits: { ...baseLimits, statutoryDays: 45, promisedDays: 30, extensionDays: 15 },
  outcome: { certificateType: 'FOOD', name: label('Food business licence'), validityMonths: 60 },
};

export const INSTANT: ServiceDefinition = {
  ...SINGLE,
  id: 'test-insurance-certificate',
  department: 'HRSS',
  form: [],
  materials: [
    { id: 'insurance', kind: 'evidence', name: label('Social insurance'), key: true, dataItem: 'social-insurance', fields: ['citizenId', 'insuredStatus', 'monthsContributed'] },
  ],
  instantApproval: {
    conditions: [
      { material: 'insurance', field: 'insuredStatus', op: 'eq', value: 'active' },
      { material: 'insurance', field: 'monthsContributed', op: 'gte', value: 12 },
    ],
  },
  outcome: { certificateType: 'SI-CERT', name: label('Insurance certificate'), validityMonths: 3 },
};

export const COMMITMENT: ServiceDefinition = {
  ...SINGLE,
  id: 'test-small-shop',
  materials: [SINGLE.materials[0]!],
  commitment: { verifyWithinDays: 20 },
};

export const OOTS: ServiceDefinition = {
  ...SINGLE,
  id: 'test-degree-check',
  materials: [
    { id: 'degree', kind: 'evidence', name: label('Degree'), key: true, dataItem: 'education-degree', fields: ['citizenId', 'degree'], requiresExplicitRequest: true, requiresPreview: true },
  ],
};

const calendar = loadCalendar('CN');
const dataCatalogue = loadDataCatalogue();
export const environmentFor = createEnvironmentFactory({ calendar: () => calendar, dataCatalogue, timeZone: 'Asia/Shanghai' });

/** Noon in Shanghai on a local date, as the instant commands are handled at. */
export const noonOn = (date: string) => new Date(`${date}T04:00:00.000Z`);

export type Given = CaseEvent & { on?: string };

export function givenCase(definition: ServiceDefinition, events: Given[]): CaseState {
  return applyEvents(
    emptyCase(definition),
    events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, at: noonOn(e.on ?? '2026-03-02').toISOString() })),
  );
}

/** A command as a spec writes it: ids are filled in. Distributes over the union so each command keeps its fields. */
export type CommandInput = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'commandId' | 'caseId'> & { caseId?: string } : never) : never;

export function when(state: CaseState, command: CommandInput, on = '2026-03-02'): Decision {
  const full = { commandId: `cmd-${Math.random()}`, caseId: state.context.caseId || 'case-1', ...command } as CaseCommand;
  return decide(full, state, environmentFor(state.definition, noonOn(on)));
}

export const types = (decision: Decision) => decision.events.map((e) => e.type);

/** Events that bring a case to a phase, so each spec states only what matters to it. */
export const history = {
  drafted: (definition: ServiceDefinition, applicant = APPLICANT): Given => ({
    type: 'ApplicationDrafted',
    data: { caseId: 'case-1', serviceId: definition.id, serviceVersion: definition.version, applicant: { type: definition.applicantType, id: applicant }, form: {}, bundleId: null },
  }),
  uploaded: (materialId: string): Given => ({
    type: 'MaterialUploaded',
    data: { materialId, fileName: `${materialId}.bin`, mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) },
  }),
  submitted: (options: { commitment?: boolean; explicitRequests?: string[] } = {}): Given => ({
    type: 'ApplicationSubmitted',
    data: { submittedOn: '2026-03-02', explicitRequests: options.explicitRequests ?? [], commitment: options.commitment ?? false, intakeDueOn: '2026-03-09' },
  }),
  accepted: (due = { statutory: '2026-03-30', promised: '2026-03-16' }): Given => ({
    type: 'CaseAccepted',
    data: { acceptedOn: '2026-03-02', receiptNo: 'R-1', deemed: false, missingNonKey: [], due },
  }),
  requested: (materialId: string, dataItem: string, provider: string): Given => ({
    type: 'EvidenceRequested',
    data: { items: [{ materialId, dataItem, provider, fields: [] }] },
  }),
  received: (materialId: string, fields: Record<string, unknown> = {}): Given => ({
    type: 'EvidenceReceived',
    data: { materialId, dataItem: 'x', provider: 'PSB', fields, contentHash: 'h', retrievedAt: '2026-03-02T04:00:00Z', trustLevel: 'A', qualityIssues: [] },
  }),
  completed: (): Given => ({ type: 'EvidenceGatheringCompleted', data: { completedOn: '2026-03-03' } }),
};

/** A PSB residence case in review: drafted, photo uploaded, submitted, accepted, household evidence in. */
export function singleCaseInReview(): CaseState {
  return givenCase(SINGLE, [
    history.drafted(SINGLE),
    history.uploaded('photo'),
    history.submitted(),
    history.accepted(),
    history.requested('household', 'household-registration', 'PSB'),
    history.received('household'),
    history.completed(),
  ]);
}
