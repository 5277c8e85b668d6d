import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { Actor, RecordedEvent } from '../../domain/events/index.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { loadCalendar, loadDataCatalogue, loadServiceCatalogue } from '../../adapters/files/index.ts';
import { createEnvironmentFactory } from '../../runtime/decide-environment.ts';
import { caseIdFor, decide, emptyCase, type CaseState } from '../../workflows/index.ts';

/**
 * A public rental housing application (HOUSING, six fetched evidence items, one upload, a 10-day extension budget):
 * the service in the catalogue with the most steps a clerk can take, so a case naturally reaches ~20 events.
 */
export const SERVICE_ID = 'public-rental-housing';
export const DEPARTMENT = 'HOUSING';
/** Commands are handled at noon (Shanghai) on a fixed working day, so the bench does not depend on today's calendar year. */
export const BENCH_NOW = new Date('2026-03-02T04:00:00.000Z');

export const clerkActor = (n: number): Actor => ({ kind: 'clerk', id: `clerk-housing-${n}`, department: DEPARTMENT, roles: ['intake', 'reviewer', 'approver'] });
export const systemActor: Actor = { kind: 'system', id: 'evidence-worker' };
export const applicantFor = (n: number): Actor => ({
  kind: 'citizen',
  id: makeCitizenId({ region: '440305', birthDate: `19${String(60 + (n % 40))}-0${1 + (n % 9)}-1${n % 10}`, sequence: n % 1000 }),
});

const FORM = { householdSize: 3, monthlyIncome: 4200, currentAddress: '深圳市南山区粤海街道科技园1号', preferredDistrict: '南山' };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A command without the ids the runner fills in (commandId, caseId). */
export type Step = (state: CaseState | null) => Omit<CaseCommand, 'commandId' | 'caseId'>;

function upload(applicant: Actor, name: string): Step {
  return () => ({ type: 'UploadMaterial', actor: applicant, materialId: 'income-proof', fileName: name, mediaType: 'application/pdf', size: 48_213, sha256: sha(name) });
}

/** The evidence worker's answer for a material being fetched, with the provider the acceptance named. */
function evidence(materialId: string, conflict = false): Step {
  return (state) => {
    const provider = state?.context.providers[materialId] ?? 'unknown';
    return {
      type: 'RecordEvidence',
      actor: systemActor,
      materialId,
      dataItem: materialId,
      provider,
      fields: { holder: '张三', status: 'active', recordNo: `${provider}-${materialId}-0001` },
      contentHash: sha(`${materialId}:${provider}`),
      retrievedAt: BENCH_NOW.toISOString(),
      trustLevel: 'A',
      ...(conflict ? { conflicts: [{ field: 'address', values: [{ source: provider, value: '科技园1号' }, { source: 'base-library', value: '科技园一号' }] }] } : {}),
    } as Omit<CaseCommand, 'commandId' | 'caseId'>;
  };
}

/**
 * One case from draft to rating: 18 commands, 22 events. Citizen, clerk and the evidence worker (system actor)
 * each issue their own commands, as they would through the API and the worker.
 */
export function lifecycleScript(applicant: Actor, clerk: Actor): Step[] {
  return [
    () => ({ type: 'DraftApplication', actor: applicant, serviceId: SERVICE_ID, form: FORM }),
    upload(applicant, 'payslips-2025.pdf'),
    () => ({ type: 'UpdateDraft', actor: applicant, form: { ...FORM, preferredDistrict: '宝安' } }),
    upload(applicant, 'payslips-2025-signed.pdf'),
    () => ({ type: 'SubmitApplication', actor: applicant }),
    () => ({ type: 'AcceptCase', actor: clerk }), // CaseAccepted + EvidenceRequested
    evidence('household-registration'),
    evidence('residence-permit'),
    evidence('marriage', true), // EvidenceReceived + EvidenceConflictFlagged
    () => ({ type: 'ExtendDeadline', actor: clerk, days: 3, reason: '需现场核查住房情况' }),
    () => ({ type: 'SuspendCase', actor: clerk, kind: 'inspection', reason: '现场核查' }),
    () => ({ type: 'ResumeCase', actor: clerk }),
    evidence('property'),
    evidence('social-insurance'),
    evidence('housing-benefits'), // EvidenceReceived + EvidenceGatheringCompleted
    () => ({ type: 'ApproveCase', actor: clerk, reasons: ['符合保障性住房申请条件'] }),
    () => ({ type: 'IssueCertificate', actor: clerk }), // CertificateIssued + CaseClosed
    () => ({ type: 'RateCase', actor: applicant, score: 5, comment: '很方便' }),
  ];
}

export const LIFECYCLE_EVENTS = 22;

export interface Decider {
  definition: ServiceDefinition;
  /** Decides a command against a state and returns the next state with the events, as the handler would append them. */
  apply(state: CaseState, step: Omit<CaseCommand, 'commandId' | 'caseId'>, commandId: string, caseId: string): { state: CaseState; events: RecordedEvent[] };
}

/** The pure decider bound to the shipped catalogue and calendar: generates histories the machine accepts. */
export function pureDecider(): Decider {
  const dataCatalogue = loadDataCatalogue();
  const definition = loadServiceCatalogue(dataCatalogue).get(SERVICE_ID, 1);
  if (!definition) throw new Error(`service ${SERVICE_ID} v1 is not in the catalogue`);
  const calendar = loadCalendar('CN');
  const environment = createEnvironmentFactory({ calendar: () => calendar, dataCatalogue, timeZone: 'Asia/Shanghai' });
  let position = 0n;
  return {
    definition,
    apply(state, step, commandId, caseId) {
      const command = { ...step, commandId, caseId } as CaseCommand;
      const decision = decide(command, state, environment(definition, BENCH_NOW));
      const occurredAt = BENCH_NOW.toISOString();
      const events = decision.events.map((event, index): RecordedEvent => {
        position += 1n;
        return {
          type: event.type,
          data: event.data as Record<string, unknown>,
          metadata: { eventId: `${commandId}-${index}`, schemaVersion: 1, occurredAt, correlationId: commandId, causationId: commandId, actor: command.actor, commandId },
          streamId: `case-${caseId}`,
          revision: state.revision + BigInt(index + 1),
          position,
          checkpoint: { commit: position, prepare: position },
        };
      });
      return { state: decision.state, events };
    },
  };
}

/**
 * A long-running case with `total` events, every one produced by the decider and accepted by the machine: supplement
 * round, evidence with conflicts, ten one-day extensions each followed by warnings for both new due dates,
 * suspension/resumption cycles, and re-uploaded income proofs while one key item is still being fetched; then
 * approval, certificate and rating.
 */
export function longHistory(total = 200): { definition: ServiceDefinition; events: RecordedEvent[]; state: CaseState } {
  const decider = pureDecider();
  const applicant = applicantFor(1);
  const clerk = clerkActor(1);
  const caseId = caseIdFor('bench-long-case');
  let state = emptyCase(decider.definition);
  const events: RecordedEvent[] = [];
  let n = 0;
  const run = (step: Step) => {
    const result = decider.apply(state, step(state), `bench-long-${(n += 1)}`, caseId);
    state = result.state;
    events.push(...result.events);
  };
  run(() => ({ type: 'DraftApplication', actor: applicant, serviceId: SERVICE_ID, form: FORM }));
  run(() => ({ type: 'SubmitApplication', actor: applicant }));
  run(() => ({ type: 'RequestSupplement', actor: clerk, items: [{ materialId: 'income-proof', note: '请上传近六个月收入证明' }] }));
  run(upload(applicant, 'income-0.pdf'));
  run(() => ({ type: 'ProvideSupplement', actor: applicant }));
  run(() => ({ type: 'AcceptCase', actor: clerk }));
  for (const id of ['household-registration', 'residence-permit', 'marriage', 'property', 'social-insurance']) run(evidence(id, true));
  const closing = 6; // housing-benefits received + gathering completed, approved, certificate + closed, rated
  let uploads = 0;
  for (let round = 0; events.length < total - closing; round += 1) {
    const left = total - closing - events.length;
    if (round % 4 === 1 && state.context.extensionDaysUsed < state.context.extensionDaysAllowed && left >= 3) {
      run(() => ({ type: 'ExtendDeadline', actor: clerk, days: 1, reason: '补充核查' }));
      const due = state.context.due!;
      run(() => ({ type: 'RaiseDeadlineWarning', actor: systemActor, limit: 'promised', dueOn: due.promised }));
      run(() => ({ type: 'RaiseDeadlineWarning', actor: systemActor, limit: 'statutory', dueOn: due.statutory }));
    } else if (round % 4 === 3 && left >= 2) {
      run(() => ({ type: 'SuspendCase', actor: clerk, kind: 'expert_review', reason: '专家评审' }));
      run(() => ({ type: 'ResumeCase', actor: clerk }));
    } else {
      run(upload(applicant, `income-${(uploads += 1)}.pdf`));
    }
  }
  run(evidence('housing-benefits'));
  run(() => ({ type: 'ApproveCase', actor: clerk, reasons: ['符合条件'] }));
  run(() => ({ type: 'IssueCertificate', actor: clerk }));
  run(() => ({ type: 'RateCase', actor: applicant, score: 4 }));
  if (events.length !== total) throw new Error(`built ${events.length} events, wanted ${total}`);
  return { definition: decider.definition, events, state };
}
