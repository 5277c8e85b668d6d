import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError } from '../../domain/case/errors.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { plusCalendarDays } from '../../domain/calendar/index.ts';
import { applyEvents, caseMachineFor, decide, emptyCase, type CaseMachineEvent, type CaseState } from '../../workflows/index.ts';
import { step } from '../../workflows/case-state.ts';
import { type CommandInput, COMMITMENT, INSTANT, JOINT, OOTS, SINGLE, SYSTEM, APPLICANT, ENTERPRISE, citizen, clerk, environmentFor, noonOn } from '../support/case-fixtures.ts';

type Pick = (applicant: string, lead: string) => CommandInput;

const pool: Pick[] = [
  (a, _l) => ({ type: 'DraftApplication', actor: citizen(a), serviceId: 'any', form: { address: '南山区', premises: '福田区' } }),
  (a) => ({ type: 'UploadMaterial', actor: citizen(a), materialId: 'photo', fileName: 'p.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'a'.repeat(64) }),
  (a) => ({ type: 'UploadMaterial', actor: citizen(a), materialId: 'household', fileName: 'h.pdf', mediaType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) }),
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
  () => ({ type: 'RecordEvidence', actor: SYSTEM, materialId: 'registration', dataItem: 'business-registration', provider: 'AMR', fields: {}, contentHash: 'h', retrievedAt: '2026-03-02T00:00:00Z', trustLevel: 'A' }),
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

const services = [SINGLE, JOINT, INSTANT, COMMITMENT, OOTS];

describe('case lifecycle properties', () => {
  it('random command sequences only ever produce events that, replayed from scratch, rebuild exactly the decided state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...services),
        fc.array(fc.tuple(fc.nat(pool.length - 1), fc.nat(3)), { minLength: 1, maxLength: 40 }),
        (definition, steps) => {
          const applicant = definition.applicantType === 'person' ? APPLICANT : ENTERPRISE;
          let state: CaseState = emptyCase(definition);
          const log: Array<{ type: string; data: Record<string, unknown>; at: string }> = [];
          let day = '2026-03-02';
          steps.forEach(([index, gap], n) => {
            day = plusCalendarDays(day, gap);
            const pick = pool[index]!(applicant, definition.department);
            const command = { ...pick, commandId: `c${n}`, caseId: 'case-1', ...(pick.type === 'DraftApplication' ? { serviceId: definition.id } : {}) } as CaseCommand;
            const now = noonOn(day);
            try {
              const decision = decide(command, state, environmentFor(definition, now));
              decision.events.forEach((e: CaseEvent) => log.push({ type: e.type, data: e.data as Record<string, unknown>, at: now.toISOString() }));
              state = decision.state;
            } catch (error) {
              // Refusals are fine; anything other than a domain error is a bug.
              expect(error).to.be.instanceOf(DomainError);
            }
          });
          const replayed = applyEvents(emptyCase(definition), log);
          expect(replayed.status).to.equal(state.status);
          expect(replayed.context).to.deep.equal(state.context);
          // The fold's reused actor scope must agree with xstate's public transition, event by event.
          const machine = caseMachineFor(definition);
          let publicSnapshot = emptyCase(definition).snapshot;
          for (const event of log) publicSnapshot = step(machine, publicSnapshot, event as unknown as CaseMachineEvent, false);
          expect(publicSnapshot.value).to.deep.equal(replayed.snapshot.value);
          expect(publicSnapshot.context).to.deep.equal(replayed.context);
        },
      ),
      { numRuns: 300 },
    );
  });
});
