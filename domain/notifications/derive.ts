import type { LocalizedText, ServiceDefinition } from '../catalogue/index.ts';
import type { CaseEventMap } from '../case/events.ts';
import {
  ANY_ROLE,
  notificationId,
  recipientKey,
  type MovedDate,
  type Notification,
  type NotificationFacts,
  type NotificationKind,
  type Recipient,
} from './notification.ts';

/** What a case's earlier events say that its notifications need: folded from the stream up to the event told. */
export interface CaseFacts {
  caseId: string;
  applicant: { type: string; id: string } | null;
  serviceId: string | null;
  serviceVersion: number | null;
  receiptNo: string | null;
  /** Department -> the clerk holding its part of the case. */
  holders: Record<string, string>;
  /** The decision's due dates as last set (acceptance, extension, resumption, a new calendar). */
  due: DueDates | null;
  /** The applicant was told the statutory date (an extension names it): its later moves are told too. */
  statutoryTold: boolean;
}

type DueDates = { statutory: string; promised: string };

export function emptyCaseFacts(caseId: string): CaseFacts {
  return { caseId, applicant: null, serviceId: null, serviceVersion: null, receiptNo: null, holders: {}, due: null, statutoryTold: false };
}

/** A recorded case event as far as notifications read it. */
export interface TellableEvent {
  type: string;
  data: Record<string, unknown>;
  eventId: string;
  occurredAt: string;
}

/** Folds one event into the facts (call it for every event of the stream, in order, after deriving from it). */
export function evolveCaseFacts(facts: CaseFacts, event: Pick<TellableEvent, 'type' | 'data'>): CaseFacts {
  switch (event.type) {
    case 'ApplicationDrafted': {
      const data = event.data as unknown as CaseEventMap['ApplicationDrafted'];
      return { ...facts, applicant: { type: data.applicant.type, id: data.applicant.id }, serviceId: data.serviceId, serviceVersion: data.serviceVersion };
    }
    case 'CaseAccepted': {
      const data = event.data as unknown as CaseEventMap['CaseAccepted'];
      return { ...facts, receiptNo: data.receiptNo, due: data.due };
    }
    case 'DeadlineExtended':
      return { ...facts, due: (event.data as { due: DueDates }).due, statutoryTold: true };
    case 'CaseResumed':
    case 'DeadlinesRecalculated':
      return { ...facts, due: (event.data as { due: DueDates }).due };
    case 'CaseClaimed':
    case 'CaseAssigned': {
      const data = event.data as { department: string; clerkId: string };
      return { ...facts, holders: { ...facts.holders, [data.department]: data.clerkId } };
    }
    case 'CaseReleased': {
      const { [(event.data as { department: string }).department]: _gone, ...rest } = facts.holders;
      return { ...facts, holders: rest };
    }
    default:
      return facts;
  }
}

function materialNames(definition: ServiceDefinition, ids: readonly string[]): LocalizedText[] {
  return ids.map((id) => definition.materials.find((m) => m.id === id)?.name ?? { 'zh-CN': id, en: id });
}

/** The decision dates that moved from `before` to `after`; the statutory one only when the applicant was told it. */
function movedDue(before: DueDates | null, after: DueDates, statutory: boolean): MovedDate[] {
  if (!before) return [];
  const moved: MovedDate[] = [];
  if (statutory && before.statutory !== after.statutory) moved.push({ limit: 'statutory', previousOn: before.statutory, dueOn: after.statutory });
  if (before.promised !== after.promised) moved.push({ limit: 'promised', previousOn: before.promised, dueOn: after.promised });
  return moved;
}

function earliest(dates: readonly string[]): string | null {
  return [...dates].sort()[0] ?? null;
}

/** The owed materials' and the supplement's due dates a recomputation moved: the dates the applicant must keep. */
function applicantLimitsMoved(data: CaseEventMap['TimeLimitsRecalculated'], definition: ServiceDefinition): MovedDate[] {
  // Only the dates the applicant must keep: the intake limit and a complaint's answer are the clerks'.
  return data.limits.flatMap((l): MovedDate[] => {
    if (l.limit === 'supplement') return [{ limit: 'supplement', previousOn: l.previous, dueOn: l.dueOn }];
    if (l.limit === 'followUp') return [{ limit: 'followUp', previousOn: l.previous, dueOn: l.dueOn, material: materialNames(definition, [l.materialId ?? ''])[0]! }];
    return [];
  });
}

type Told = Pick<TellableEvent, 'type' | 'data'>;

/**
 * The event whose message tells a TimeLimitsRecalculated's moves, when its command recorded one: the resumption for
 * the follow-ups a pause moved (resumeCase), the decision's recomputed limits for the rest (recalculateDeadlines).
 */
export function carrierType(event: Told): 'CaseResumed' | 'DeadlinesRecalculated' | null {
  if (event.type !== 'TimeLimitsRecalculated') return null;
  return typeof event.data.suspendedOn === 'string' ? 'CaseResumed' : 'DeadlinesRecalculated';
}

/** The applicant's dates moved by the TimeLimitsRecalculated its command recorded beside `carrier`. */
function carried(carrier: Told, alongside: readonly Told[], definition: ServiceDefinition): MovedDate[] {
  return alongside
    .filter((e) => carrierType(e) === carrier.type)
    .flatMap((e) => applicantLimitsMoved(e.data as unknown as CaseEventMap['TimeLimitsRecalculated'], definition));
}

/**
 * The notifications one event causes, given the facts before it, the case's service definition and the other events
 * the same command recorded (`alongside`, in any order): the dates one command moves are told in one message (a
 * resumption, or a recomputation of the limits, with the owed materials' and the supplement's dates it moved). Pure:
 * the same event, facts and command give the same notifications with the same ids, whenever and however often.
 */
export function notificationsFor(
  event: TellableEvent,
  facts: CaseFacts,
  definition: ServiceDefinition,
  alongside: readonly Told[] = [],
): Notification[] {
  const out: Notification[] = [];
  const base: NotificationFacts = { service: definition.name, receiptNo: facts.receiptNo };
  const tell = (recipient: Recipient, kind: NotificationKind, extra: Partial<NotificationFacts> = {}) => {
    const to = recipientKey(recipient);
    out.push({
      id: notificationId(event.eventId, kind, to),
      kind,
      to,
      audience: recipient.kind === 'citizen' ? 'citizen' : 'clerk',
      caseId: facts.caseId,
      facts: { ...base, ...extra },
      eventId: event.eventId,
      createdAt: event.occurredAt,
    });
  };
  const applicant = facts.applicant ? ({ kind: 'citizen', id: facts.applicant.id } as const) : null;
  const citizen = (kind: NotificationKind, extra: Partial<NotificationFacts> = {}) => {
    if (applicant) tell(applicant, kind, extra);
  };
  const lead = definition.department;
  const holderOrDepartment = (): Recipient => {
    const holder = facts.holders[lead];
    return holder ? { kind: 'clerk', id: holder } : { kind: 'group', department: lead, role: ANY_ROLE };
  };

  switch (event.type) {
    case 'CaseAccepted': {
      const data = event.data as unknown as CaseEventMap['CaseAccepted'];
      citizen('accepted', { receiptNo: data.receiptNo, dueOn: data.due.promised });
      break;
    }
    case 'CaseNotAccepted':
      citizen('notAccepted');
      break;
    case 'SupplementRequested': {
      const data = event.data as unknown as CaseEventMap['SupplementRequested'];
      citizen('supplementRequested', { dueOn: data.dueOn, materials: materialNames(definition, data.items.map((i) => i.materialId)) });
      break;
    }
    case 'RevisionRequested': {
      const data = event.data as unknown as CaseEventMap['RevisionRequested'];
      citizen('revisionRequested', { materials: materialNames(definition, data.items.map((i) => i.materialId)) });
      break;
    }
    case 'EvidenceReceived': {
      const data = event.data as unknown as CaseEventMap['EvidenceReceived'];
      const material = definition.materials.find((m) => m.id === data.materialId);
      if (material?.kind === 'evidence' && material.requiresPreview) citizen('previewToConfirm', { materials: [material.name] });
      break;
    }
    case 'CaseApproved':
      citizen('approved');
      break;
    case 'CaseDenied':
      citizen('denied');
      break;
    case 'CertificateIssued':
      citizen('certificateIssued', { certificateNo: (event.data as unknown as CaseEventMap['CertificateIssued']).certificateNo });
      break;
    case 'FollowUpRequired': {
      const data = event.data as unknown as CaseEventMap['FollowUpRequired'];
      citizen('followUpRequired', { dueOn: earliest(data.items.map((i) => i.dueOn)), materials: materialNames(definition, data.items.map((i) => i.materialId)) });
      break;
    }
    case 'FollowUpReminderRaised': {
      const data = event.data as unknown as CaseEventMap['FollowUpReminderRaised'];
      citizen('followUpDue', { dueOn: data.dueOn, level: data.level, materials: materialNames(definition, [data.materialId]) });
      break;
    }
    case 'DeadlineWarningRaised': {
      const data = event.data as unknown as CaseEventMap['DeadlineWarningRaised'];
      tell(holderOrDepartment(), 'deadlineWarning', { dueOn: data.dueOn, limit: data.limit, level: 'yellow' });
      break;
    }
    case 'DeadlineOverdue': {
      const data = event.data as unknown as CaseEventMap['DeadlineOverdue'];
      const card = { dueOn: data.dueOn, limit: data.limit, level: 'red' as const };
      const to = holderOrDepartment();
      tell(to, 'deadlineOverdue', card);
      // The red card also goes to the department's supervisors (approvers), who can reassign the case; an unheld case's
      // card already reaches them as clerks of the department, so they are not told twice.
      if (to.kind !== 'group') tell({ kind: 'group', department: lead, role: 'approver' }, 'deadlineOverdue', card);
      break;
    }
    // The applicant is told whenever a date they were told moves, and why (Administrative Licensing Law art. 42: an
    // extension and its reason are told to the applicant). The reason itself is free text that may name anyone: the
    // message points to the case page, where the applicant reads it signed in.
    case 'CaseSuspended':
      citizen('suspended', { suspension: (event.data as unknown as CaseEventMap['CaseSuspended']).kind });
      break;
    case 'CaseResumed': {
      const data = event.data as unknown as CaseEventMap['CaseResumed'];
      citizen('resumed', { dueOn: data.due.promised, moved: [...movedDue(facts.due, data.due, facts.statutoryTold), ...carried(event, alongside, definition)] });
      break;
    }
    case 'DeadlineExtended': {
      const data = event.data as unknown as CaseEventMap['DeadlineExtended'];
      citizen('datesMoved', { cause: 'extended', dueOn: data.due.promised, moved: movedDue(facts.due, data.due, true) });
      break;
    }
    case 'DeadlinesRecalculated': {
      const data = event.data as unknown as CaseEventMap['DeadlinesRecalculated'];
      const moved = [...movedDue(data.previous, data.due, facts.statutoryTold), ...carried(event, alongside, definition)];
      if (moved.length > 0) citizen('datesMoved', { cause: 'recalculated', dueOn: data.due.promised, moved });
      break;
    }
    case 'TimeLimitsRecalculated': {
      // Its command's resumption or recomputed decision limits already list these dates.
      if (alongside.some((e) => e.type === carrierType(event))) break;
      const data = event.data as unknown as CaseEventMap['TimeLimitsRecalculated'];
      const moved = applicantLimitsMoved(data, definition);
      // Recomputed for a new calendar, or for new counting rules (a release): the event does not say which.
      if (moved.length > 0) citizen('datesMoved', { cause: data.suspendedOn ? 'resumed' : 'recalculated', dueOn: earliest(moved.map((m) => m.dueOn)), moved });
      break;
    }
    default:
      break;
  }
  return out;
}

/** Every event type that can cause a notification: the outbox reads case streams only when a batch holds one. */
export const TELLING_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CaseAccepted', 'CaseNotAccepted', 'SupplementRequested', 'RevisionRequested', 'EvidenceReceived', 'CaseApproved',
  'CaseDenied', 'CertificateIssued', 'FollowUpRequired', 'FollowUpReminderRaised', 'DeadlineWarningRaised', 'DeadlineOverdue',
  'CaseSuspended', 'CaseResumed', 'DeadlineExtended', 'DeadlinesRecalculated', 'TimeLimitsRecalculated',
]);
