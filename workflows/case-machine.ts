import { assign, setup } from 'xstate';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import type { CaseEvent } from '../domain/case/events.ts';
import { contestedDecision, evolve, feeOwed, feeSettled, gatheringComplete, initialContext, isSettled, limitsAsRecorded, noteRevisionUpload, openFollowUps, refundable, refundOnRecord, vetoes, type CaseContext } from './case-context.ts';

/** A machine event is a stored case event plus the instant it happened; guards never read a clock. */
export type CaseMachineEvent = CaseEvent & { at: string };

const record = { actions: 'evolve' } as const;
// Frozen: every machine built shares these objects, so nothing may change them (XState only reads its config).
const onCommitment = Object.freeze({ guard: 'onCommitment', ...record } as const);
/** What a case under a commitment (承诺制) still records once approved: the evidence checked afterwards, and revocation. */
const commitmentFollowUp = Object.freeze({
  EvidenceReceived: onCommitment,
  EvidenceUnavailable: onCommitment,
  EvidenceConflictFlagged: onCommitment,
  ApprovalRevoked: Object.freeze({ ...onCommitment, target: 'revoked' } as const),
} as const);

function followUpOpenFor(context: CaseContext, event: CaseMachineEvent): boolean {
  const materialId = 'data' in event && typeof event.data === 'object' && event.data !== null ? (event.data as { materialId?: unknown }).materialId : undefined;
  return typeof materialId === 'string' && context.followUps[materialId]?.providedOn === null;
}

function openForWork(context: CaseContext): boolean {
  return context.submittedOn !== null && context.closedOn === null;
}

function allOpinionsIn(context: CaseContext): boolean {
  const review = context.jointReview;
  return review !== null && review.departments.every((d) => review.opinions[d] !== undefined);
}

/**
 * The case lifecycle for one service definition. Deadlines are NOT `after` transitions: timers live in the durable
 * scheduler and come back as events (DeadlineWarningRaised, DeadlineOverdue), so a persisted case loses nothing.
 */
export function createCaseMachine(definition: ServiceDefinition) {
  return setup({
    types: {
      context: {} as CaseContext,
      events: {} as CaseMachineEvent,
    },
    actions: {
      evolve: assign(({ context, event }) => evolve(context, event, event.at)),
      noteRevisionUpload: assign(({ context, event }) => (event.type === 'MaterialUploaded' ? noteRevisionUpload(context, event.data.materialId) : context)),
    },
    guards: {
      supplementNotYetRequested: ({ context }) => !context.supplement.requested,
      onCommitment: ({ context }) => context.commitment && definition.commitment !== undefined,
      notOnCommitment: ({ context }) => !(context.commitment && definition.commitment !== undefined),
      allMaterialsSettled: ({ context }) => gatheringComplete(context),
      singleReviewDecision: ({ context, event }) =>
        context.coReviewers.length === 0 || (event.type === 'CaseApproved' && event.data.by === 'rule'),
      hasCoReviewers: ({ context }) => context.coReviewers.length > 0,
      pendingOpinion: ({ context, event }) =>
        event.type === 'OpinionGiven' &&
        context.jointReview !== null &&
        context.jointReview.departments.includes(event.data.department) &&
        context.jointReview.opinions[event.data.department] === undefined,
      allOpinionsIn: ({ context }) => allOpinionsIn(context),
      // A veto (a binding co-reviewer's "deny") rules out approval; the lead may deny at once or send it back.
      approvableAfterOpinions: ({ context }) => allOpinionsIn(context) && vetoes(context).length === 0,
      deniableAfterOpinions: ({ context }) => allOpinionsIn(context) || vetoes(context).length > 0,
      vetoed: ({ context }) => vetoes(context).length > 0,
      // Clerk work happens on submitted, still open cases; a department's part is claimed by one clerk at a time.
      claimable: ({ context, event }) =>
        event.type === 'CaseClaimed' && openForWork(context) && context.holders?.[event.data.department] === undefined,
      heldBy: ({ context, event }) => event.type === 'CaseReleased' && context.holders?.[event.data.department] === event.data.clerkId,
      assignable: ({ context, event }) => event.type === 'CaseAssigned' && openForWork(context) && context.holders?.[event.data.department] !== event.data.clerkId,
      withinExtensionBudget: ({ context, event }) =>
        event.type === 'DeadlineExtended' && context.extensionDaysUsed + event.data.days <= context.extensionDaysAllowed,
      cardNotYetRaised: ({ context, event }) =>
        (event.type === 'DeadlineWarningRaised' || event.type === 'DeadlineOverdue') &&
        !context.cards.includes(`${event.data.limit}:${event.data.dueOn}:${event.type === 'DeadlineOverdue' ? 'red' : 'yellow'}`),
      verifiable: ({ context }) =>
        context.commitment && !context.commitmentVerified && Object.values(context.materials).every((m) => m.kind === 'upload' || isSettled(m)),
      closable: ({ context }) =>
        (!context.commitment || definition.commitment === undefined || context.commitmentVerified) && openFollowUps(context).length === 0,
      caseOpen: ({ context }) => context.closedOn === null,
      followUpOpen: ({ context, event }) => context.closedOn === null && followUpOpenFor(context, event),
      reminderNotYetRaised: ({ context, event }) =>
        event.type === 'FollowUpReminderRaised' &&
        context.closedOn === null &&
        context.followUps[event.data.materialId]?.providedOn === null &&
        context.followUps[event.data.materialId]?.dueOn === event.data.dueOn &&
        !context.followUps[event.data.materialId]!.reminders.includes(event.data.level),
      notRated: ({ context }) => context.rating === null,
      // 收费: assessed once, on approval; paid once, the exact amount; refunds never exceed what was paid.
      feeNotAssessed: ({ context }) => context.fee === undefined,
      paymentDue: ({ context }) => context.fee?.payBeforeCertificate === true && feeOwed(context) > 0,
      feeSettled: ({ context }) => feeSettled(context),
      paymentOrdersOpen: ({ context }) => feeOwed(context) > 0 && context.fee?.ordersClosedOn === undefined,
      paysFeeOwed: ({ context, event }) => event.type === 'PaymentReceived' && feeOwed(context) > 0 && event.data.amount === feeOwed(context),
      // 行政复议: once per case, against a denial or a refusal to accept; the outcome once, for that linked case.
      reconsiderable: ({ context }) => contestedDecision(context) !== null && context.reconsideration === undefined,
      reconsiderationPending: ({ context, event }) =>
        event.type === 'ReconsiderationDecided' && context.reconsideration?.appealCaseId === event.data.appealCaseId && context.reconsideration.outcome === null,
      holdNotPlaced: ({ context, event }) => event.type === 'LegalHoldPlaced' && context.holds?.[event.data.holdId] === undefined,
      holdStanding: ({ context, event }) => event.type === 'LegalHoldLifted' && context.holds?.[event.data.holdId] !== undefined,
      // 好差评: a low rating opens one follow-up; answered once; overdue once, for its own due date.
      rated: ({ context }) => context.rating !== null && context.complaint === undefined,
      // A recalculation names each limit's start and old date: it applies only to the limits still running as it saw them.
      limitsAsRecorded: ({ context, event }) => event.type === 'TimeLimitsRecalculated' && limitsAsRecorded(context, event.data.limits),
      complaintOpen: ({ context }) => context.complaint !== undefined && context.complaint.answeredOn === null,
      complaintLate: ({ context, event }) =>
        event.type === 'ComplaintOverdue' && context.complaint?.answeredOn === null && !context.complaint.overdue && context.complaint.dueOn === event.data.dueOn,
      refundWithinPaid: ({ context, event }) =>
        event.type === 'PaymentRefunded' && event.data.amount > 0 && event.data.amount <= refundable(context) && !refundOnRecord(context, event.data.refundId),
      // A refund that failed at the provider moved nothing: on record once, for a refund id never used on the case.
      refundFailureNew: ({ context, event }) =>
        event.type === 'PaymentRefundFailed' && context.fee?.paid != null && !refundOnRecord(context, event.data.refundId),
      knownMaterial: ({ context, event }) =>
        'data' in event && typeof event.data === 'object' && event.data !== null && 'materialId' in event.data &&
        context.materials[(event.data as { materialId: string }).materialId] !== undefined,
    },
  }).createMachine({
    id: `case:${definition.id}@${definition.version}`,
    context: initialContext(definition),
    initial: 'new',
    // 容缺 follow-ups run beside the lifecycle: owed from acceptance or approval until provided, whatever the phase.
    // Who holds the case changes nothing in its lifecycle, so these are taken in any state, guards permitting.
    on: {
      FollowUpRequired: { guard: 'caseOpen', ...record },
      FollowUpProvided: { guard: 'followUpOpen', ...record },
      FollowUpReminderRaised: { guard: 'reminderNotYetRaised', ...record },
      CaseClaimed: { guard: 'claimable', ...record },
      CaseReleased: { guard: 'heldBy', ...record },
      CaseAssigned: { guard: 'assignable', ...record },
      // A fee that does not hold up the certificate may be paid whenever after approval; a refund whenever after payment.
      PaymentReceived: { guard: 'paysFeeOwed', ...record },
      PaymentRefunded: { guard: 'refundWithinPaid', ...record },
      PaymentRefundFailed: { guard: 'refundFailureNew', ...record },
      // Appeals and complaints come after the decision, whichever state the case has reached since.
      ReconsiderationRequested: { guard: 'reconsiderable', ...record },
      ReconsiderationDecided: { guard: 'reconsiderationPending', ...record },
      LegalHoldPlaced: { guard: 'holdNotPlaced', ...record },
      LegalHoldLifted: { guard: 'holdStanding', ...record },
      // Crypto-shredding (retention, erasure) may follow whatever the case has become.
      SubjectKeysShredded: record,
      ComplaintOpened: { guard: 'rated', ...record },
      ComplaintAnswered: { guard: 'complaintOpen', ...record },
      ComplaintOverdue: { guard: 'complaintLate', ...record },
      // Intake, supplement, follow-up and complaint limits run in different phases, some after the case closed.
      TimeLimitsRecalculated: { guard: 'limitsAsRecorded', ...record },
    },
    states: {
      new: {
        on: { ApplicationDrafted: { target: 'draft', ...record } },
      },
      draft: {
        on: {
          DraftUpdated: record,
          MaterialUploaded: { guard: 'knownMaterial', ...record },
          ApplicationSubmitted: { target: 'submitted', ...record },
          CaseWithdrawn: { target: 'withdrawn', ...record },
        },
      },
      submitted: {
        on: {
          MaterialUploaded: { guard: 'knownMaterial', ...record },
          CaseAccepted: { target: 'processing', ...record },
          CaseNotAccepted: { target: 'notAccepted', ...record },
          SupplementRequested: { guard: 'supplementNotYetRequested', target: 'awaitingSupplement', ...record },
          CaseWithdrawn: { target: 'withdrawn', ...record },
        },
      },
      awaitingSupplement: {
        on: {
          MaterialUploaded: { guard: 'knownMaterial', ...record },
          SupplementProvided: { target: 'submitted', ...record },
          CaseNotAccepted: { target: 'notAccepted', ...record },
          CaseWithdrawn: { target: 'withdrawn', ...record },
        },
      },
      processing: {
        initial: 'gatheringEvidence',
        on: {
          MaterialUploaded: { guard: 'knownMaterial', ...record },
          DeadlineExtended: { guard: 'withinExtensionBudget', ...record },
          CaseSuspended: { target: 'suspended', ...record },
          DeadlinesRecalculated: record,
          DeadlineWarningRaised: { guard: 'cardNotYetRaised', ...record },
          DeadlineOverdue: { guard: 'cardNotYetRaised', ...record },
          CaseWithdrawn: { target: 'withdrawn', ...record },
        },
        states: {
          gatheringEvidence: {
            on: {
              EvidenceRequested: record,
              EvidenceReceived: { guard: 'knownMaterial', ...record },
              EvidenceUnavailable: { guard: 'knownMaterial', ...record },
              EvidenceConflictFlagged: { guard: 'knownMaterial', ...record },
              EvidencePreviewConfirmed: { guard: 'knownMaterial', ...record },
              EvidencePreviewRefused: { guard: 'knownMaterial', ...record },
              EvidenceGatheringCompleted: { guard: 'allMaterialsSettled', target: 'review', ...record },
              CaseApproved: { guard: 'onCommitment', target: '#approved', ...record },
            },
          },
          review: {
            on: {
              JointReviewStarted: { guard: 'hasCoReviewers', target: 'jointReview', ...record },
              CaseApproved: { guard: 'singleReviewDecision', target: '#approved', ...record },
              CaseDenied: { guard: 'singleReviewDecision', target: '#denied', ...record },
              InstantApprovalWithheld: record,
            },
          },
          jointReview: {
            on: {
              OpinionGiven: { guard: 'pendingOpinion', ...record },
              CaseApproved: { guard: 'approvableAfterOpinions', target: '#approved', ...record },
              CaseDenied: { guard: 'deniableAfterOpinions', target: '#denied', ...record },
              RevisionRequested: { guard: 'vetoed', target: 'awaitingRevision', ...record },
            },
          },
          // Sent back after a veto: the applicant supplies what was asked, then the vetoing departments revise.
          awaitingRevision: {
            on: {
              MaterialUploaded: { guard: 'knownMaterial', actions: ['evolve', 'noteRevisionUpload'] },
              RevisionSupplementProvided: { target: 'jointReview', ...record },
              CaseDenied: { target: '#denied', ...record },
            },
          },
          history: { type: 'history', history: 'deep' },
        },
      },
      suspended: {
        on: {
          CaseResumed: { target: 'processing.history', ...record },
          // A suspension (hearing, testing, inspection, expert review) stops the statutory clock, not the world: a
          // department answering a request made before it is a fact, and refusing it left the item being fetched, so
          // the platform asked the department again at every reconciling pass until the case resumed. The answer is
          // recorded as it comes; nothing is decided on it until the case resumes (ResumeCase settles what it can).
          // Only answers to a fetch in flight: the deciders record nothing for a material no longer being fetched.
          EvidenceReceived: { guard: 'knownMaterial', ...record },
          EvidenceUnavailable: { guard: 'knownMaterial', ...record },
          EvidenceConflictFlagged: { guard: 'knownMaterial', ...record },
          DeadlinesRecalculated: record,
          CaseWithdrawn: { target: 'withdrawn', ...record },
        },
      },
      approved: {
        id: 'approved',
        on: {
          CertificateIssued: { guard: 'feeSettled', target: 'certificateIssued', ...record },
          FeeAssessed: { guard: 'feeNotAssessed', ...record },
          PaymentRequired: { guard: 'paymentDue', target: 'awaitingPayment', ...record },
          EvidenceRequested: onCommitment,
          ...commitmentFollowUp,
          MaterialUploaded: { guard: 'followUpOpen', ...record },
        },
      },
      // The service wants its fee before the certificate: approved, waiting for the provider to confirm payment.
      awaitingPayment: {
        on: {
          PaymentReceived: { guard: 'paysFeeOwed', target: '#approved', ...record },
          EvidenceRequested: onCommitment,
          ...commitmentFollowUp,
          MaterialUploaded: { guard: 'followUpOpen', ...record },
        },
      },
      certificateIssued: {
        on: {
          CaseClosed: { guard: 'closable', target: 'closed', ...record },
          ...commitmentFollowUp,
          MaterialUploaded: [onCommitment, { guard: 'followUpOpen', ...record }],
          CommitmentVerified: { guard: 'verifiable', ...record },
          CaseRated: { guard: 'notRated', ...record },
        },
      },
      denied: {
        id: 'denied',
        on: {
          CaseClosed: { target: 'closed', ...record },
          CaseRated: { guard: 'notRated', ...record },
        },
      },
      closed: { on: { CaseRated: { guard: 'notRated', ...record } } },
      notAccepted: { on: { CaseRated: { guard: 'notRated', ...record } } },
      withdrawn: {},
      // A revoked approval's fee is no longer payable: its orders still open at the provider are closed, once.
      revoked: { on: { PaymentOrdersClosed: { guard: 'paymentOrdersOpen', ...record } } },
    },
  });
}

export type CaseMachine = ReturnType<typeof createCaseMachine>;

const cache = new WeakMap<ServiceDefinition, CaseMachine>();

/** Machines are pure values; one per loaded service version is built once and shared by every fold. */
export function caseMachineFor(definition: ServiceDefinition): CaseMachine {
  let machine = cache.get(definition);
  if (!machine) {
    machine = createCaseMachine(definition);
    cache.set(definition, machine);
  }
  return machine;
}
