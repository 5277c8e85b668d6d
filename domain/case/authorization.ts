import type { Actor } from '../events/index.ts';
import type { ServiceDefinition } from '../catalogue/index.ts';
import type { CaseCommandType } from './commands.ts';
import { ForbiddenCommandError } from './errors.ts';

/** Clerk duties; a clerk holds one or more. Separation of duties is a department's choice of who gets which. */
export type ClerkRole = 'intake' | 'reviewer' | 'approver';

type Rule =
  | { who: 'applicant' }
  | { who: 'lead-clerk'; role: ClerkRole }
  | { who: 'co-reviewer' }
  | { who: 'department-clerk'; role?: ClerkRole }
  | { who: 'system' };

const RULES: Record<CaseCommandType, Rule> = {
  DraftApplication: { who: 'applicant' },
  UpdateDraft: { who: 'applicant' },
  UploadMaterial: { who: 'applicant' },
  SubmitApplication: { who: 'applicant' },
  ProvideSupplement: { who: 'applicant' },
  ConfirmEvidencePreview: { who: 'applicant' },
  RefuseEvidencePreview: { who: 'applicant' },
  WithdrawApplication: { who: 'applicant' },
  RateCase: { who: 'applicant' },
  PayFee: { who: 'applicant' },
  RefundPayment: { who: 'lead-clerk', role: 'approver' },
  ClosePaymentOrders: { who: 'system' },
  RecordRefundFailure: { who: 'system' },
  RequestReconsideration: { who: 'applicant' },
  RecordReconsiderationOutcome: { who: 'system' },
  AnswerComplaint: { who: 'lead-clerk', role: 'reviewer' },
  MarkComplaintOverdue: { who: 'system' },
  AcceptCase: { who: 'lead-clerk', role: 'intake' },
  NotAcceptCase: { who: 'lead-clerk', role: 'intake' },
  RequestSupplement: { who: 'lead-clerk', role: 'intake' },
  StartJointReview: { who: 'lead-clerk', role: 'reviewer' },
  ExtendDeadline: { who: 'lead-clerk', role: 'approver' },
  SuspendCase: { who: 'lead-clerk', role: 'reviewer' },
  ResumeCase: { who: 'lead-clerk', role: 'reviewer' },
  ApproveCase: { who: 'lead-clerk', role: 'approver' },
  DenyCase: { who: 'lead-clerk', role: 'approver' },
  IssueCertificate: { who: 'lead-clerk', role: 'approver' },
  VerifyCommitment: { who: 'lead-clerk', role: 'reviewer' },
  RevokeApproval: { who: 'lead-clerk', role: 'approver' },
  GiveOpinion: { who: 'co-reviewer' },
  RequestRevision: { who: 'lead-clerk', role: 'approver' },
  ProvideRevisionSupplement: { who: 'applicant' },
  // Clerk work: any clerk of a department on the case claims its part; assigning someone else is a supervisor's
  // (approver's) call. Releasing another's hold also needs the approver role (checked by the decider).
  ClaimCase: { who: 'department-clerk' },
  ReleaseCase: { who: 'department-clerk' },
  AssignCase: { who: 'department-clerk', role: 'approver' },
  DeemAccepted: { who: 'system' },
  ExpireSupplement: { who: 'system' },
  RecordEvidence: { who: 'system' },
  RecordEvidenceUnavailable: { who: 'system' },
  RaiseDeadlineWarning: { who: 'system' },
  MarkOverdue: { who: 'system' },
  RecalculateDeadlines: { who: 'system' },
  AcceptOnSubmission: { who: 'system' },
  RemindFollowUp: { who: 'system' },
};

export function ruleFor(command: CaseCommandType): Rule {
  return RULES[command];
}

/**
 * Who may issue which command is a domain rule, checked before any state is read twice: the HTTP layer checks roles
 * too, but a worker or a script that bypasses it is held to the same rules here.
 */
export function authorize(
  command: CaseCommandType,
  actor: Actor,
  service: ServiceDefinition,
  applicantId: string | null,
  /** An agent acting for the applicant (legal representative, authorised person) may do what the applicant may. */
  agentId: string | null = null,
): void {
  const rule = RULES[command];
  switch (rule.who) {
    case 'applicant':
      if (actor.kind !== 'citizen') throw new ForbiddenCommandError(command, 'only the applicant may do this');
      if (applicantId !== null && actor.id !== applicantId && actor.id !== agentId) {
        throw new ForbiddenCommandError(command, 'the case belongs to another applicant', 'stranger');
      }
      return;
    case 'lead-clerk':
      if (actor.kind !== 'clerk') throw new ForbiddenCommandError(command, `only a clerk of ${service.department} may do this`);
      if (actor.department !== service.department) {
        const member = actor.department !== undefined && service.coReviewers.includes(actor.department);
        throw new ForbiddenCommandError(command, `the case is handled by ${service.department}, not ${actor.department ?? 'no department'}`, member ? 'member' : 'stranger');
      }
      if (!(actor.roles ?? []).includes(rule.role)) {
        throw new ForbiddenCommandError(command, `the clerk lacks the ${rule.role} role`);
      }
      return;
    case 'co-reviewer':
      if (actor.kind !== 'clerk' || !actor.department || !service.coReviewers.includes(actor.department)) {
        const member = actor.kind === 'clerk' && actor.department === service.department;
        throw new ForbiddenCommandError(command, `only clerks of ${service.coReviewers.join(', ') || 'co-reviewing departments'} give opinions`, member ? 'member' : 'stranger');
      }
      if (!(actor.roles ?? []).includes('reviewer')) throw new ForbiddenCommandError(command, 'the clerk lacks the reviewer role');
      return;
    case 'department-clerk': {
      const onCase = actor.kind === 'clerk' && actor.department !== undefined && (actor.department === service.department || service.coReviewers.includes(actor.department));
      if (!onCase) throw new ForbiddenCommandError(command, `only clerks of ${[service.department, ...service.coReviewers].join(', ')} may do this`, actor.kind === 'clerk' ? 'stranger' : 'member');
      if (rule.role && !(actor.roles ?? []).includes(rule.role)) throw new ForbiddenCommandError(command, `the clerk lacks the ${rule.role} role`);
      return;
    }
    case 'system':
      if (actor.kind !== 'system') throw new ForbiddenCommandError(command, 'only the platform itself records this');
      return;
  }
}
