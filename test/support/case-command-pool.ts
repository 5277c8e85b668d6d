/**
 * Commands for driving the deciders at random: together they reach every state of the case machine for the
 * fixture services (single review, joint review, 秒批, 告知承诺, cross-border). Most are refused in most states;
 * whatever is accepted is a valid history by construction.
 */
import { plusCalendarDays } from '../../domain/calendar/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { DomainError } from '../../domain/case/errors.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { allowedCommands, applyEvents, decide, emptyCase, type CaseState } from '../../workflows/index.ts';
import { APPLICANT, COMMITMENT, ENTERPRISE, INSTANT, JOINT, OOTS, SINGLE, SYSTEM, citizen, clerk, environmentFor, noonOn, type CommandInput } from './case-fixtures.ts';

type Pick = (applicant: string, lead: string) => CommandInput;

export const COMMAND_POOL: Pick[] = [
  (a) => ({ type: 'DraftApplication', actor: citizen(a), serviceId: 'any', form: {} }),
  (a) => ({ type: 'UploadMaterial', actor: citizen(a), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) }),
  (a) => ({ type: 'UploadMaterial', actor: citizen(a), materialId: 'household', fileName: 'h.pdf', mediaType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) }),
  (a) => ({ type: 'SubmitApplication', actor: citizen(a) }),
  (a) => ({ type: 'SubmitApplication', actor: citizen(a), commitment: true }),
  (a) => ({ type: 'SubmitApplication', actor: citizen(a), explicitRequests: ['degree'] }),
  (_a, l) => ({ type: 'AcceptCase', actor: clerk(l) }),
  (_a, l) => ({ type: 'NotAcceptCase', actor: clerk(l), reason: 'outside competence' }),
  (_a, l) => ({ type: 'RequestSupplement', actor: clerk(l), items: [{ materialId: 'photo', note: '' }] }),
  (a) => ({ type: 'ProvideSupplement', actor: citizen(a) }),
  () => ({ type: 'DeemAccepted', actor: SYSTEM }),
  () => ({ type: 'ExpireSupplement', actor: SYSTEM }),
  () => ({ type: 'RecordEvidence', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: { name: 'x' }, contentHash: 'h', retrievedAt: '2026-03-02T00:00:00Z', trustLevel: 'A' }),
  () => ({ type: 'RecordEvidence', actor: SYSTEM, materialId: 'insurance', dataItem: 'social-insurance', provider: 'HRSS', fields: { insuredStatus: 'active', monthsContributed: 20 }, contentHash: 'h', retrievedAt: '2026-03-02T00:00:00Z', trustLevel: 'A' }),
  () => ({ type: 'RecordEvidence', actor: SYSTEM, materialId: 'registration', dataItem: 'business-registration', provider: 'AMR', fields: { creditCode: ENTERPRISE, enterpriseName: '某某餐饮有限公司' }, contentHash: 'h', retrievedAt: '2026-03-02T00:00:00Z', trustLevel: 'A' }),
  () => ({ type: 'RecordEvidence', actor: SYSTEM, materialId: 'degree', dataItem: 'education-degree', provider: 'EDU', fields: {}, contentHash: 'h', retrievedAt: '2026-03-02T00:00:00Z', trustLevel: 'A' }),
  () => ({ type: 'RecordEvidenceUnavailable', actor: SYSTEM, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', reason: 'no_match', detail: '' }),
  (a) => ({ type: 'ConfirmEvidencePreview', actor: citizen(a), materialId: 'degree' }),
  (a) => ({ type: 'RefuseEvidencePreview', actor: citizen(a), materialId: 'degree' }),
  (_a, l) => ({ type: 'StartJointReview', actor: clerk(l) }),
  () => ({ type: 'GiveOpinion', actor: clerk('FIRE', ['reviewer']), opinion: 'approve', comment: '' }),
  () => ({ type: 'GiveOpinion', actor: clerk('HEALTH', ['reviewer']), opinion: 'deny', comment: '' }),
  (_a, l) => ({ type: 'ExtendDeadline', actor: clerk(l), days: 4, reason: 'inspection' }),
  (_a, l) => ({ type: 'SuspendCase', actor: clerk(l), kind: 'testing', reason: 'lab test' }),
  (_a, l) => ({ type: 'ResumeCase', actor: clerk(l) }),
  () => ({ type: 'RaiseDeadlineWarning', actor: SYSTEM, limit: 'promised', dueOn: '2026-03-16' }),
  () => ({ type: 'MarkOverdue', actor: SYSTEM, limit: 'statutory', dueOn: '2026-03-30' }),
  (_a, l) => ({ type: 'ApproveCase', actor: clerk(l) }),
  (_a, l) => ({ type: 'DenyCase', actor: clerk(l), reasons: ['no'] }),
  (_a, l) => ({ type: 'IssueCertificate', actor: clerk(l) }),
  (_a, l) => ({ type: 'VerifyCommitment', actor: clerk(l) }),
  (_a, l) => ({ type: 'RevokeApproval', actor: clerk(l), reason: 'false commitment' }),
  (a) => ({ type: 'WithdrawApplication', actor: citizen(a) }),
  (a) => ({ type: 'RateCase', actor: citizen(a), score: 4 }),
];

export const POOL_SERVICES: ServiceDefinition[] = [SINGLE, JOINT, INSTANT, COMMITMENT, OOTS];

const SYSTEM_COMMANDS = ['DeemAccepted', 'ExpireSupplement', 'RecordEvidence', 'RecordEvidenceUnavailable', 'RaiseDeadlineWarning', 'MarkOverdue'];

const ENDINGS: ReadonlySet<string> = new Set(['WithdrawApplication', 'NotAcceptCase', 'ExpireSupplement']);

const SAMPLE = { string: '南山区', number: 1, date: '2026-03-01', boolean: true } as const;

/** A form every field of the definition accepts. */
export function formFor(definition: ServiceDefinition): Record<string, unknown> {
  return Object.fromEntries(definition.form.map((field) => [field.name, SAMPLE[field.type]]));
}

export interface DrivenEvent {
  event: CaseEvent;
  at: string;
  actor: CaseCommand['actor'];
  commandId: string;
  /** The machine's state after this event, as the write side folds it. */
  statusAfter: string;
}

/**
 * Runs picked commands (an index among the pool's commands the case allows now, days later) through the deciders;
 * refusals (guards, payloads that do not fit the service) are skipped, as a clerk would.
 */
export function driveCase(definition: ServiceDefinition, steps: ReadonlyArray<readonly [number, number]>, caseId = 'case-1'): DrivenEvent[] {
  const applicant = definition.applicantType === 'person' ? APPLICANT : ENTERPRISE;
  let state: CaseState = emptyCase(definition);
  const events: DrivenEvent[] = [];
  let day = '2026-03-02';
  steps.forEach(([index, gap], n) => {
    day = plusCalendarDays(day, gap);
    // allowedCommands lists what a person may do; timer and job outcomes (system commands) are always candidates.
    const allowed = new Set<string>([...allowedCommands(state), ...SYSTEM_COMMANDS]);
    // Endings are allowed on one step in eight only, or most histories would stop before they got interesting.
    const candidates = COMMAND_POOL.map((make) => make(applicant, definition.department)).filter((c) => allowed.has(c.type) && (index % 8 === 0 || !ENDINGS.has(c.type)));
    const picked = candidates[index % Math.max(1, candidates.length)];
    if (!picked) return;
    const now = noonOn(day);
    // Evidence is retrieved when it is recorded: a copy older than the case would be refused as stale.
    const pick = picked.type === 'RecordEvidence' ? { ...picked, retrievedAt: now.toISOString() } : picked;
    const command = { ...pick, commandId: `c${n}`, caseId, ...(pick.type === 'DraftApplication' ? { serviceId: definition.id, form: formFor(definition) } : {}) } as CaseCommand;
    try {
      const decision = decide(command, state, environmentFor(definition, now));
      // Each event's own status: fold them one at a time from the state before the command.
      let folded = state;
      for (const event of decision.events) {
        folded = applyEvents(folded, [{ type: event.type, data: event.data as Record<string, unknown>, at: now.toISOString() }]);
        events.push({ event, at: now.toISOString(), actor: command.actor, commandId: command.commandId, statusAfter: folded.status });
      }
      state = decision.state;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  });
  return events;
}
