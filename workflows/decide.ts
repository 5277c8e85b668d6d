import { authorize } from '../domain/case/authorization.ts';
import type { CaseCommand, CaseCommandType } from '../domain/case/commands.ts';
import { WrongStateError } from '../domain/case/errors.ts';
import type { CaseEvent, CaseEventType } from '../domain/case/events.ts';
import type { Actor } from '../domain/events/index.ts';
import { applyEvents, canApply, eventsHandledNow, UnfoldableEventError, type CaseState } from './case-state.ts';
import * as application from './deciders/application.ts';
import * as clerkWork from './deciders/clerk-work.ts';
import { afterMaterialSettled } from './deciders/completion.ts';
import type { DecideEnvironment } from './deciders/environment.ts';
import * as evidence from './deciders/evidence.ts';
import * as fees from './deciders/fees.ts';
import { paymentStartRefusal } from './deciders/fees.ts';
import * as appeals from './deciders/appeals.ts';
import { feeOwed, refundable } from './case-context.ts';
import { isReconsiderationService } from '../domain/appeals/reconsideration.ts';
import * as followUp from './deciders/follow-up.ts';
import * as intake from './deciders/intake.ts';
import * as review from './deciders/review.ts';
import { recalculateDeadlines } from './deciders/recalculation.ts';
import * as revision from './deciders/revision.ts';

type Decider = (command: never, state: CaseState, env: DecideEnvironment) => CaseEvent[];

interface CommandSpec {
  /** The event the command exists to produce; whether the machine handles it decides if the command is allowed now. */
  produces: CaseEventType;
  decide: Decider;
  /** Timer and job outcomes arrive late or twice: in a state that no longer takes them they record nothing. */
  quietWhenStale?: boolean;
  /**
   * Commands after which gathering may be complete (and 秒批 may happen): whatever settles or gives up on the last
   * outstanding material, including a non-key item the provider could not supply, in whichever order outcomes land.
   */
  maySettle?: boolean;
}

const COMMANDS: Record<CaseCommandType, CommandSpec> = {
  DraftApplication: { produces: 'ApplicationDrafted', decide: application.draftApplication },
  UpdateDraft: { produces: 'DraftUpdated', decide: application.updateDraft },
  UploadMaterial: { produces: 'MaterialUploaded', decide: application.uploadMaterial, maySettle: true },
  SubmitApplication: { produces: 'ApplicationSubmitted', decide: application.submitApplication },
  WithdrawApplication: { produces: 'CaseWithdrawn', decide: application.withdrawApplication },
  RateCase: { produces: 'CaseRated', decide: application.rateCase },
  AcceptCase: { produces: 'CaseAccepted', decide: intake.acceptCase, maySettle: true },
  DeemAccepted: { produces: 'CaseAccepted', decide: intake.deemAccepted, quietWhenStale: true, maySettle: true },
  NotAcceptCase: { produces: 'CaseNotAccepted', decide: intake.notAcceptCase },
  RequestSupplement: { produces: 'SupplementRequested', decide: intake.requestSupplement },
  ProvideSupplement: { produces: 'SupplementProvided', decide: intake.provideSupplement },
  ExpireSupplement: { produces: 'CaseNotAccepted', decide: intake.expireSupplement, quietWhenStale: true },
  RecordEvidence: { produces: 'EvidenceReceived', decide: evidence.recordEvidence, quietWhenStale: true, maySettle: true },
  RecordEvidenceUnavailable: { produces: 'EvidenceUnavailable', decide: evidence.recordEvidenceUnavailable, quietWhenStale: true, maySettle: true },
  ConfirmEvidencePreview: { produces: 'EvidencePreviewConfirmed', decide: evidence.confirmEvidencePreview, maySettle: true },
  RefuseEvidencePreview: { produces: 'EvidencePreviewRefused', decide: evidence.refuseEvidencePreview, maySettle: true },
  StartJointReview: { produces: 'JointReviewStarted', decide: review.startJointReview },
  GiveOpinion: { produces: 'OpinionGiven', decide: review.giveOpinion },
  RequestRevision: { produces: 'RevisionRequested', decide: revision.requestRevision },
  ProvideRevisionSupplement: { produces: 'RevisionSupplementProvided', decide: revision.provideRevisionSupplement },
  ClaimCase: { produces: 'CaseClaimed', decide: clerkWork.claimCase },
  ReleaseCase: { produces: 'CaseReleased', decide: clerkWork.releaseCase },
  AssignCase: { produces: 'CaseAssigned', decide: clerkWork.assignCase },
  ExtendDeadline: { produces: 'DeadlineExtended', decide: review.extendDeadline },
  SuspendCase: { produces: 'CaseSuspended', decide: review.suspendCase },
  // Evidence recorded while suspended may have brought in the last material: back in gathering, it completes.
  ResumeCase: { produces: 'CaseResumed', decide: review.resumeCase, maySettle: true },
  RaiseDeadlineWarning: { produces: 'DeadlineWarningRaised', decide: review.raiseDeadlineWarning, quietWhenStale: true },
  MarkOverdue: { produces: 'DeadlineOverdue', decide: review.markOverdue, quietWhenStale: true },
  // Its limits run in every phase (a complaint's after closing), so it is gated on the event every state takes; the
  // decider records DeadlinesRecalculated only where the machine takes it.
  RecalculateDeadlines: { produces: 'TimeLimitsRecalculated', decide: recalculateDeadlines, quietWhenStale: true },
  ApproveCase: { produces: 'CaseApproved', decide: review.approveCase },
  DenyCase: { produces: 'CaseDenied', decide: review.denyCase },
  IssueCertificate: { produces: 'CertificateIssued', decide: review.issueCertificate },
  VerifyCommitment: { produces: 'CommitmentVerified', decide: review.verifyCommitment },
  RevokeApproval: { produces: 'ApprovalRevoked', decide: review.revokeApproval },
  AcceptOnSubmission: { produces: 'CaseAccepted', decide: intake.acceptOnSubmission, quietWhenStale: true, maySettle: true },
  RemindFollowUp: { produces: 'FollowUpReminderRaised', decide: followUp.remindFollowUp, quietWhenStale: true },
  PayFee: { produces: 'PaymentReceived', decide: fees.payFee },
  RefundPayment: { produces: 'PaymentRefunded', decide: fees.refundPayment },
  ClosePaymentOrders: { produces: 'PaymentOrdersClosed', decide: fees.closePaymentOrders, quietWhenStale: true },
  RecordRefundFailure: { produces: 'PaymentRefundFailed', decide: fees.recordRefundFailure },
  RequestReconsideration: { produces: 'ReconsiderationRequested', decide: appeals.requestReconsideration },
  RecordReconsiderationOutcome: { produces: 'ReconsiderationDecided', decide: appeals.recordReconsiderationOutcome, quietWhenStale: true },
  AnswerComplaint: { produces: 'ComplaintAnswered', decide: appeals.answerComplaint },
  MarkComplaintOverdue: { produces: 'ComplaintOverdue', decide: appeals.markComplaintOverdue, quietWhenStale: true },
};

const SYSTEM_COMMANDS = new Set<CaseCommandType>([
  'DeemAccepted', 'ExpireSupplement', 'RecordEvidence', 'RecordEvidenceUnavailable', 'RaiseDeadlineWarning', 'MarkOverdue', 'AcceptOnSubmission', 'RemindFollowUp',
  'RecalculateDeadlines', 'RecordReconsiderationOutcome', 'MarkComplaintOverdue', 'ClosePaymentOrders', 'RecordRefundFailure',
]);

/**
 * Representative event data for guards that read the event, so `allowedCommands` can ask the machine itself.
 * null: nothing in the case could make the command succeed now (no pending opinion, no preview waiting, ...).
 */
const PROBES: Partial<Record<CaseEventType, (state: CaseState, actor?: Actor) => Record<string, unknown> | null>> = {
  CaseApproved: () => ({ by: 'clerk' }),
  CaseDenied: () => ({ reasons: ['probe'] }),
  // Asked for a particular clerk, only that clerk's department counts: one that has spoken is not offered it again.
  OpinionGiven: (state, actor) => {
    const review = state.context.jointReview;
    const pending = review?.departments.find((d) => review.opinions[d] === undefined && (actor?.kind !== 'clerk' || actor.department === d));
    return pending ? { department: pending } : null;
  },
  // Clerk work is per department: asked without a clerk, there is nothing to probe with.
  CaseClaimed: (_state, actor) => (actor?.kind === 'clerk' && actor.department ? { department: actor.department } : null),
  CaseReleased: (state, actor) => {
    const holder = actor?.kind === 'clerk' && actor.department ? state.context.holders?.[actor.department] : undefined;
    if (holder === undefined || (holder !== actor!.id && !(actor!.roles ?? []).includes('approver'))) return null;
    return { department: actor!.department, clerkId: holder };
  },
  CaseAssigned: (_state, actor) => (actor?.kind === 'clerk' && actor.department ? { department: actor.department, clerkId: '\u0000probe' } : null),
  DeadlineExtended: (state) => (state.context.extensionDaysUsed < state.context.extensionDaysAllowed ? { days: 1 } : null),
  MaterialUploaded: (state) => {
    const owed = Object.entries(state.context.followUps).find(([, f]) => f.providedOn === null);
    if (owed) return { materialId: owed[0] };
    // Sent back after a veto: what the revision asks for again is owed, though an earlier upload settled it.
    const revision = state.context.jointReview?.revision;
    const askedAgain = revision?.items.find((item) => !revision.uploaded.includes(item));
    if (askedAgain !== undefined) return { materialId: askedAgain };
    const open = Object.values(state.context.materials).find((m) => m.status === 'missing' || m.status === 'upload_required');
    return open ? { materialId: open.id } : null;
  },
  EvidencePreviewConfirmed: (state) => {
    const waiting = Object.values(state.context.materials).find((m) => m.status === 'awaiting_preview');
    return waiting ? { materialId: waiting.id } : null;
  },
};
PROBES.EvidencePreviewRefused = PROBES.EvidencePreviewConfirmed;
// The revision is answered once everything it asked for is uploaded again (the decider refuses it before).
PROBES.RevisionSupplementProvided = (state) => {
  const revision = state.context.jointReview?.revision;
  return revision && revision.items.every((item) => revision.uploaded.includes(item)) ? {} : null;
};
// Root-level events: with nothing owed (or nothing left to refund) the probe's amount fails the guard, so the
// command is refused for the case's state (409) and never offered.
// A fee no longer payable (the approval revoked) is not offered: the route refuses to start a payment for it, and
// only records one the provider confirms for an order started before (null leaves that to the decider).
PROBES.PaymentReceived = (state) => (feeOwed(state.context) > 0 && paymentStartRefusal(state) !== null ? null : { amount: feeOwed(state.context) || -1 });
PROBES.PaymentRefunded = (state) => ({ amount: refundable(state.context) || -1 });
// A reconsideration case's own decision is not reconsidered again: never offered (the decider refuses it).
PROBES.ReconsiderationRequested = (state) => (isReconsiderationService(state.context.serviceId) ? null : {});

/**
 * Commands a person could issue now, guards included. With an actor: only those this actor may issue (the domain's
 * authorization, as it will decide when the command comes), which is what buttons, command results and 409 problems
 * tell a caller; a clerk is never offered the applicant's commands.
 */
export function allowedCommands(state: CaseState, actor?: Actor): CaseCommandType[] {
  const handled = eventsHandledNow(state);
  const at = state.context.lastEventAt ?? new Date(0).toISOString();
  return (Object.keys(COMMANDS) as CaseCommandType[]).filter((type) => {
    const produces = COMMANDS[type].produces;
    if (SYSTEM_COMMANDS.has(type) || !handled.has(produces)) return false;
    if (actor && !permitted(type, state, actor)) return false;
    const probe = PROBES[produces];
    const data = probe ? probe(state, actor) : {};
    return data !== null && canApply(state, { type: produces, data } as CaseEvent, at);
  });
}

function permitted(type: CaseCommandType, state: CaseState, actor: Actor): boolean {
  try {
    authorize(type, actor, state.definition, state.context.applicant?.id ?? null, state.context.agent?.id ?? null);
    return true;
  } catch {
    return false;
  }
}

/**
 * A command whose event the state handles but whose guard refuses it whatever the command says (a second
 * supplement notice, a second rating) is refused for the case's state, before a decider can call it invalid input.
 * Probes that find nothing to try (null) leave the verdict to the decider, which names the precise problem.
 */
function refusedByState(type: CaseCommandType, state: CaseState, actor: Actor): boolean {
  const produces = COMMANDS[type].produces;
  const probe = PROBES[produces];
  const data = probe ? probe(state, actor) : {};
  if (data === null) return false;
  const at = state.context.lastEventAt ?? new Date(0).toISOString();
  return !canApply(state, { type: produces, data } as CaseEvent, at);
}

export interface Decision {
  events: CaseEvent[];
  /** The case after the events, as the next fold will see it. */
  state: CaseState;
  /**
   * Events from this index on are the platform's own, recorded in the same append as the caller's: the 秒批
   * acceptance (and whatever it settles) after a submission. Absent: every event is the caller's.
   */
  platformFrom?: number;
}

/** Who the platform's own steps are recorded as: the actor the AcceptOnSubmission timer has always used. */
export const PLATFORM_ACTOR: Actor = { kind: 'system', id: 'platform' };

/**
 * Decides what a command means for a case and proves, with the machine, that every resulting event is allowed in
 * sequence: no decider can write an event the lifecycle would refuse.
 */
export function decide(command: CaseCommand, state: CaseState, env: DecideEnvironment): Decision {
  const spec = COMMANDS[command.type];
  if (!eventsHandledNow(state).has(spec.produces)) {
    if (spec.quietWhenStale) return { events: [], state };
    throw new WrongStateError(command.type, state.status, allowedCommands(state, command.actor));
  }
  if (!spec.quietWhenStale && !SYSTEM_COMMANDS.has(command.type) && refusedByState(command.type, state, command.actor)) {
    throw new WrongStateError(command.type, state.status, allowedCommands(state, command.actor));
  }
  const primary = spec.decide(command as never, state, env);
  let events = primary;
  let next = applyChecked(command, state, primary, env.now);
  if (spec.maySettle && next.status === 'gatheringEvidence') {
    const followUps = afterMaterialSettled(next.context, env);
    next = applyChecked(command, next, followUps, env.now);
    events = [...primary, ...followUps];
  }
  if (primary.length > 0 && next.status === 'submitted' && command.type !== 'AcceptOnSubmission' && state.definition.instantApproval) {
    // 秒批 has no human step, intake included: whatever leaves such a case submitted (the submission, a supplement,
    // the last key upload) is followed in the same append by the platform's acceptance, decided by the very decider
    // the AcceptOnSubmission timer runs (which declines while a key upload is missing) and proved by the machine.
    // One write instead of a reactor pass, a timer job and a second append; the timer stays as the safety net.
    const platform = decide({ type: 'AcceptOnSubmission', actor: PLATFORM_ACTOR, caseId: command.caseId, commandId: command.commandId }, next, env);
    if (platform.events.length > 0) return { events: [...events, ...platform.events], state: platform.state, platformFrom: events.length };
  }
  return { events, state: next };
}

/** One transition per event: the machine refusing it (guards included) is the wrong-state answer. */
function applyChecked(command: CaseCommand, state: CaseState, events: CaseEvent[], at: string): CaseState {
  let current = state;
  for (const event of events) {
    try {
      current = applyEvents(current, [{ type: event.type, data: event.data as Record<string, unknown>, at }]);
    } catch (error) {
      if (error instanceof UnfoldableEventError) throw new WrongStateError(command.type, current.status, allowedCommands(current, command.actor));
      throw error;
    }
  }
  return current;
}
