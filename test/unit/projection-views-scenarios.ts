import type { Actor } from '../../domain/events/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand, CaseCommandType } from '../../domain/case/commands.ts';
import { caseStream, type CaseEvent } from '../../domain/case/events.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { loadCalendar } from '../../adapters/files/index.ts';
import { decide, emptyCase, type CaseState } from '../../workflows/index.ts';
import { fixedDirectory } from '../../projections/views/index.ts';
import { COMMITMENT, ENTERPRISE, INSTANT, JOINT, OOTS, SINGLE, SYSTEM, citizen, clerk, environmentFor, noonOn } from '../support/case-fixtures.ts';

/**
 * Realistic case histories for the view specs and the bench: every event comes out of the workflow's own decide()
 * for a command, on a working day, so the views are fed exactly what the command handler would append.
 */
export const calendar = loadCalendar('CN');
export const services = fixedDirectory([SINGLE, JOINT, INSTANT, COMMITMENT, OOTS]);

type Body = { type: CaseCommandType } & Record<string, unknown>;

export interface Step {
  /** Working days after the previous step (0: the same day). */
  after: number;
  actor: Actor;
  command: Body | ((state: CaseState) => Body);
}

/** One command's events, as one append to the case stream. */
export interface Append {
  streamId: string;
  events: Array<{ type: string; data: Record<string, unknown> }>;
  actor: Actor;
  at: string;
  commandId: string;
}

export function citizenNo(n: number): string {
  return makeCitizenId({ region: '440305', birthDate: '1990-05-17', sequence: n % 1000 });
}

const upload = (materialId: string, mediaType = 'image/jpeg'): Body => ({ type: 'UploadMaterial', materialId, fileName: `${materialId}.bin`, mediaType, size: 1000, sha256: 'b'.repeat(64) });

const evidence = (materialId: string, dataItem: string, provider: string, fields: Record<string, unknown>): Body => ({
  type: 'RecordEvidence', materialId, dataItem, provider, fields, contentHash: `sha256:${materialId}`, retrievedAt: '2026-01-01T00:00:00.000Z', trustLevel: 'A',
});

const household = evidence('household', 'household-registration', 'PSB', { citizenId: 'X', name: '张三', address: '深圳市南山区' });
const dueOf = (limit: 'promised' | 'statutory') => (state: CaseState): Body => ({ type: 'RaiseDeadlineWarning', limit, dueOn: state.context.due![limit] });
const overdueOf = (limit: 'promised' | 'statutory') => (state: CaseState): Body => ({ type: 'MarkOverdue', limit, dueOn: state.context.due![limit] });

const draft = (form: Record<string, unknown> = { address: '深圳市南山区科技园' }): Body => ({ type: 'DraftApplication', form });
const PSB = clerk('PSB');
const AMR = clerk('AMR');

export interface Scenario {
  definition: ServiceDefinition;
  applicant: 'person' | 'enterprise';
  steps: Step[];
}

export const SCENARIOS = {
  /** PSB residence: accepted, household fetched, approved, certificate, rated 4. */
  approved: { definition: SINGLE, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: upload('photo') },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 1, actor: PSB, command: { type: 'AcceptCase' } },
    { after: 0, actor: SYSTEM, command: household },
    { after: 2, actor: PSB, command: { type: 'ApproveCase', reasons: ['requirements met'] } },
    { after: 1, actor: PSB, command: { type: 'IssueCertificate' } },
    { after: 1, actor: citizen(), command: { type: 'RateCase', score: 4, comment: 'quick' } },
  ] },
  /** Photo missing: supplement requested, never provided, not accepted. */
  supplementExpired: { definition: SINGLE, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 1, actor: PSB, command: { type: 'RequestSupplement', items: [{ materialId: 'photo', note: 'a recent photo, white background' }] } },
    { after: 6, actor: SYSTEM, command: { type: 'ExpireSupplement' } },
  ] },
  /** Supplement provided; household not found and uploaded; hearing; yellow card; extension; denied; rated 1. */
  contested: { definition: SINGLE, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 1, actor: PSB, command: { type: 'RequestSupplement', items: [{ materialId: 'photo', note: 'photo missing' }] } },
    { after: 1, actor: citizen(), command: upload('photo') },
    { after: 0, actor: citizen(), command: { type: 'ProvideSupplement' } },
    { after: 1, actor: PSB, command: { type: 'AcceptCase' } },
    { after: 0, actor: SYSTEM, command: { type: 'RecordEvidenceUnavailable', materialId: 'household', dataItem: 'household-registration', provider: 'PSB', reason: 'no_match', detail: 'no record' } },
    { after: 1, actor: citizen(), command: upload('household', 'application/pdf') },
    { after: 1, actor: PSB, command: { type: 'SuspendCase', kind: 'hearing', reason: 'neighbour objection' } },
    { after: 3, actor: PSB, command: { type: 'ResumeCase' } },
    { after: 5, actor: SYSTEM, command: dueOf('promised') },
    { after: 0, actor: PSB, command: { type: 'ExtendDeadline', days: 5, reason: 'site visit' } },
    { after: 2, actor: PSB, command: { type: 'DenyCase', reasons: ['address not verifiable'] } },
    { after: 1, actor: citizen(), command: { type: 'RateCase', score: 1, comment: 'slow' } },
  ] },
  /** Restaurant at AMR with FIRE and HEALTH giving opinions in parallel. */
  joint: { definition: JOINT, applicant: 'enterprise', steps: [
    { after: 0, actor: citizen(ENTERPRISE), command: draft({ premises: '南山区海岸城' }) },
    { after: 0, actor: citizen(ENTERPRISE), command: { type: 'SubmitApplication' } },
    { after: 2, actor: AMR, command: { type: 'AcceptCase' } },
    { after: 0, actor: SYSTEM, command: evidence('registration', 'business-registration', 'AMR', { creditCode: ENTERPRISE, enterpriseName: '海岸餐饮' }) },
    { after: 1, actor: AMR, command: { type: 'StartJointReview' } },
    { after: 2, actor: clerk('FIRE', ['reviewer']), command: { type: 'GiveOpinion', opinion: 'approve', comment: 'exits fine' } },
    { after: 3, actor: clerk('HEALTH', ['reviewer']), command: { type: 'GiveOpinion', opinion: 'approve', comment: 'kitchen fine' } },
    { after: 1, actor: AMR, command: { type: 'ApproveCase' } },
    { after: 0, actor: AMR, command: { type: 'IssueCertificate' } },
  ] },
  /** 秒批: insurance evidence satisfies the rule, approved, certified and closed with no human step; rated 5. */
  instant: { definition: INSTANT, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft({}) },
    // The platform accepts it in the submission's own append: no clerk takes part.
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 0, actor: SYSTEM, command: evidence('insurance', 'social-insurance', 'HRSS', { citizenId: 'X', insuredStatus: 'active', monthsContributed: 30 }) },
    { after: 0, actor: citizen(), command: { type: 'RateCase', score: 5, comment: '' } },
  ] },
  /** OOTS: the applicant asks for the degree to be fetched, previews it, refuses it and uploads instead. */
  previewRefused: { definition: OOTS, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication', explicitRequests: ['degree'] } },
    { after: 1, actor: PSB, command: { type: 'AcceptCase' } },
    { after: 0, actor: SYSTEM, command: evidence('degree', 'education-degree', 'EDU', { citizenId: 'X', degree: 'master' }) },
    { after: 1, actor: citizen(), command: { type: 'RefuseEvidencePreview', materialId: 'degree' } },
    { after: 0, actor: citizen(), command: upload('degree', 'application/pdf') },
    { after: 2, actor: PSB, command: { type: 'ApproveCase' } },
  ] },
  /** 告知承诺: approved on acceptance, certificate before the evidence, verified afterwards. */
  commitment: { definition: COMMITMENT, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication', commitment: true } },
    { after: 1, actor: PSB, command: { type: 'AcceptCase' } },
    { after: 0, actor: PSB, command: { type: 'IssueCertificate' } },
    { after: 1, actor: SYSTEM, command: household },
    { after: 2, actor: PSB, command: { type: 'VerifyCommitment' } },
  ] },
  /** Intake never answers: deemed accepted; evidence in; the promised date passes (red card); approved late. */
  deemedLate: { definition: SINGLE, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: upload('photo') },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 6, actor: SYSTEM, command: { type: 'DeemAccepted' } },
    { after: 0, actor: SYSTEM, command: household },
    { after: 11, actor: SYSTEM, command: overdueOf('promised') },
    { after: 1, actor: PSB, command: { type: 'ApproveCase' } },
  ] },
  /** Withdrawn while waiting for intake. */
  withdrawn: { definition: SINGLE, applicant: 'person', steps: [
    { after: 0, actor: citizen(), command: draft() },
    { after: 0, actor: citizen(), command: { type: 'SubmitApplication' } },
    { after: 1, actor: citizen(), command: { type: 'WithdrawApplication', reason: 'moved away' } },
  ] },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Plays a scenario for one case from `startOn`; steps may stop early (`stopAfter`) to catch a case mid-flight. */
export function playCase(name: ScenarioName, caseId: string, options: { startOn?: string; applicantId?: string; stopAfter?: number } = {}): Append[] {
  const scenario: Scenario = SCENARIOS[name];
  const applicantId = scenario.applicant === 'enterprise' ? ENTERPRISE : (options.applicantId ?? citizenNo(123));
  let state = emptyCase(scenario.definition);
  let day = options.startOn ?? '2026-03-02';
  const appends: Append[] = [];
  const steps = scenario.steps.slice(0, options.stopAfter ?? scenario.steps.length);
  steps.forEach((step, index) => {
    day = calendar.addDays(day, step.after, 'working');
    const body = typeof step.command === 'function' ? step.command(state) : step.command;
    const actor = step.actor.kind === 'citizen' ? { kind: 'citizen' as const, id: applicantId } : step.actor;
    const commandId = `${caseId}-c${index}`;
    const command = { commandId, caseId, actor, ...body } as CaseCommand;
    const decision = decide(command, state, environmentFor(scenario.definition, noonOn(day)));
    state = decision.state;
    if (decision.events.length === 0) return;
    appends.push({
      streamId: caseStream(caseId),
      events: decision.events.map((e: CaseEvent) => ({ type: e.type, data: e.data as Record<string, unknown> })),
      actor,
      at: noonOn(day).toISOString(),
      commandId,
    });
  });
  return appends;
}
