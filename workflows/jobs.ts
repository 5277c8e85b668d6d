import type { Calendar } from '../domain/calendar/index.ts';
import { plusCalendarDays } from '../domain/calendar/index.ts';
import { startOfLocalDay as computeStartOfLocalDay } from '../domain/time/zoned.ts';
import type { CaseState } from './case-state.ts';
import { isReconsiderationService } from '../domain/appeals/reconsideration.ts';
import { paymentOrdersToClose } from './deciders/fees.ts';
import { CLOCK_RUNNING, type CaseStatus } from './case-status.ts';

export interface TimerPayload {
  caseId: string;
  command: 'DeemAccepted' | 'ExpireSupplement' | 'RaiseDeadlineWarning' | 'MarkOverdue' | 'AcceptOnSubmission' | 'RemindFollowUp' | 'MarkComplaintOverdue' | 'RecordReconsiderationOutcome';
  limit?: 'promised' | 'statutory';
  dueOn?: string;
  /** RemindFollowUp: the owed material and the card's colour. */
  materialId?: string;
  level?: 'yellow' | 'red';
  /** RecordReconsiderationOutcome (on the original case): the linked case and how it was decided. */
  appealCaseId?: string;
  outcome?: 'approved' | 'denied' | 'withdrawn' | 'notAccepted';
}

export interface EvidencePayload {
  caseId: string;
  materialId: string;
  dataItem: string;
  provider: string;
  fields: string[];
  subject: { type: 'person' | 'enterprise'; id: string };
  purpose: { caseId: string; serviceId: string; legalBasis: string };
  requester: string;
}

/** Work at the payment provider that the case then records (the provider answers; the job's command says what). */
export interface PaymentPayload {
  caseId: string;
  command: 'ClosePaymentOrders';
}

export type DesiredJob =
  | { kind: 'timer'; jobId: string; runAt: Date; payload: TimerPayload }
  | { kind: 'evidence'; jobId: string; payload: EvidencePayload }
  | { kind: 'payment'; jobId: string; payload: PaymentPayload };

// Every event of a running case derives its timers again, each naming the start of a local day, which Intl computes
// at a cost larger than the rest of the derivation; a day's start in a zone never changes, so it is kept (bounded).
const dayStarts = new Map<string, number>();
function startOfLocalDay(date: string, timeZone: string): Date {
  const key = `${timeZone} ${date}`;
  let at = dayStarts.get(key);
  if (at === undefined) {
    at = computeStartOfLocalDay(date, timeZone).getTime();
    if (dayStarts.size >= 10_000) dayStarts.clear();
    dayStarts.set(key, at);
  }
  return new Date(at);
}

/**
 * The jobs a case needs right now, derived from its state alone. Ids name the case, the purpose and the due date, so
 * enqueueing the same set again is a no-op and a moved due date simply yields a new timer (the old one, if it still
 * fires, finds its due date gone and records nothing).
 */
export function desiredJobs(state: CaseState, calendar: Calendar, timeZone: string): DesiredJob[] {
  const { context, status } = state;
  const caseId = context.caseId;
  const jobs: DesiredJob[] = [];
  const dayAfter = (date: string) => startOfLocalDay(plusCalendarDays(date, 1), timeZone);

  if (status === 'submitted' && context.intakeDueOn) {
    jobs.push({ kind: 'timer', jobId: `t-${caseId}-intake-${context.intakeDueOn}`, runAt: dayAfter(context.intakeDueOn), payload: { caseId, command: 'DeemAccepted' } });
  }
  if (status === 'submitted' && state.definition.instantApproval) {
    // 秒批: the platform accepts at once. The revision in the id makes a case back from a supplement a new job.
    const runAt = new Date(context.lastEventAt ?? 0);
    jobs.push({ kind: 'timer', jobId: `t-${caseId}-autoaccept-${state.revision}`, runAt, payload: { caseId, command: 'AcceptOnSubmission' } });
  }
  if (status === 'awaitingSupplement' && context.supplement.dueOn) {
    const dueOn = context.supplement.dueOn;
    jobs.push({ kind: 'timer', jobId: `t-${caseId}-supplement-${dueOn}`, runAt: dayAfter(dueOn), payload: { caseId, command: 'ExpireSupplement' } });
  }
  if (CLOCK_RUNNING.has(status as CaseStatus) && context.due) {
    const limits = state.definition.limits;
    for (const limit of ['promised', 'statutory'] as const) {
      const dueOn = context.due[limit];
      if (!context.cards.includes(`${limit}:${dueOn}:yellow`)) {
        let warnOn = calendar.subtractDays(dueOn, limits.warningDays, limits.dayKind);
        // Calendar days count through holidays: a card raised on one is read on the next working day, for a limit
        // moved past a long holiday the last day itself. It shows on the last working day before instead.
        while (!calendar.isWorkingDay(warnOn)) warnOn = plusCalendarDays(warnOn, -1);
        jobs.push({
          kind: 'timer',
          jobId: `t-${caseId}-warn-${limit}-${dueOn}`,
          runAt: startOfLocalDay(warnOn, timeZone),
          payload: { caseId, command: 'RaiseDeadlineWarning', limit, dueOn },
        });
      }
      if (!context.cards.includes(`${limit}:${dueOn}:red`)) {
        jobs.push({ kind: 'timer', jobId: `t-${caseId}-overdue-${limit}-${dueOn}`, runAt: dayAfter(dueOn), payload: { caseId, command: 'MarkOverdue', limit, dueOn } });
      }
    }
  }
  // A follow-up's reminders wait out a suspension: the applicant may not upload then, and resumption moves its date.
  if (context.closedOn === null && status !== 'suspended') jobs.push(...followUpTimers(state, calendar, timeZone));
  jobs.push(...appealJobs(state, timeZone));
  jobs.push(...paymentJobs(state));
  if (context.applicant) {
    for (const material of Object.values(context.materials)) {
      if (material.status !== 'fetching') continue;
      const definition = state.definition.materials.find((m) => m.id === material.id);
      if (definition?.kind !== 'evidence') continue;
      jobs.push({
        kind: 'evidence',
        jobId: `ev-${caseId}-${material.id}`,
        payload: {
          caseId,
          materialId: material.id,
          dataItem: definition.dataItem,
          provider: providerOf(state, material.id),
          fields: definition.fields,
          subject: context.applicant,
          purpose: { caseId, serviceId: state.definition.id, legalBasis: state.definition.legalBasis },
          requester: state.definition.department,
        },
      });
    }
  }
  return jobs;
}

/**
 * Appeals and complaints outlive the case's own lifecycle: a complaint's deadline (a red card the day after it), and
 * on a decided reconsideration case the job that records its outcome on the original case.
 */
export function appealJobs(state: CaseState, timeZone: string): DesiredJob[] {
  const { context } = state;
  const jobs: DesiredJob[] = [];
  const complaint = context.complaint;
  if (complaint && complaint.answeredOn === null && !complaint.overdue) {
    jobs.push({
      kind: 'timer',
      jobId: `t-${context.caseId}-complaint-${complaint.dueOn}`,
      runAt: startOfLocalDay(plusCalendarDays(complaint.dueOn, 1), timeZone),
      payload: { caseId: context.caseId, command: 'MarkComplaintOverdue', dueOn: complaint.dueOn },
    });
  }
  const original = context.form.originalCaseId;
  // How the linked case ended: decided, or withdrawn by the applicant, or not accepted by the reviewing body. Each
  // ends the reconsideration on the original case and lifts its hold; a hold nobody lifts keeps the records for ever.
  const ended = context.decision
    ? { outcome: context.decision.outcome, on: context.decision.on }
    : state.status === 'withdrawn' && context.closedOn
      ? { outcome: 'withdrawn' as const, on: context.closedOn }
      : state.status === 'notAccepted' && context.notAcceptedOn
        ? { outcome: 'notAccepted' as const, on: context.notAcceptedOn }
        : null;
  if (isReconsiderationService(state.definition.id) && ended && typeof original === 'string') {
    jobs.push({
      kind: 'timer',
      jobId: `t-${context.caseId}-reconsidered`,
      runAt: new Date(context.lastEventAt ?? 0),
      payload: { caseId: original, command: 'RecordReconsiderationOutcome', appealCaseId: context.caseId, outcome: ended.outcome, dueOn: ended.on },
    });
  }
  return jobs;
}

/**
 * A revoked approval's fee orders, closed at the provider until the case records it (or the payment the close found
 * was made first). It outlives the case's closing, as appeal work does: the revocation closes the case.
 */
export function paymentJobs(state: CaseState): DesiredJob[] {
  if (!paymentOrdersToClose(state)) return [];
  const caseId = state.context.caseId;
  return [{ kind: 'payment', jobId: `pay-close-${caseId}`, payload: { caseId, command: 'ClosePaymentOrders' } }];
}

function providerOf(state: CaseState, materialId: string): string {
  return state.context.providers[materialId] ?? 'unknown';
}

/** 容缺 reminders: a yellow card warningDays (working) before an owed material's due date, a red one the day after. */
function followUpTimers(state: CaseState, calendar: Calendar, timeZone: string): DesiredJob[] {
  const { caseId } = state.context;
  const jobs: DesiredJob[] = [];
  for (const [materialId, followUp] of Object.entries(state.context.followUps)) {
    if (followUp.providedOn !== null) continue;
    const { dueOn } = followUp;
    const at = {
      yellow: startOfLocalDay(calendar.subtractDays(dueOn, state.definition.limits.warningDays, 'working'), timeZone),
      red: startOfLocalDay(plusCalendarDays(dueOn, 1), timeZone),
    };
    for (const level of ['yellow', 'red'] as const) {
      if (followUp.reminders.includes(level)) continue;
      jobs.push({
        kind: 'timer',
        jobId: `t-${caseId}-followup-${materialId}-${dueOn}-${level}`,
        runAt: at[level],
        payload: { caseId, command: 'RemindFollowUp', materialId, dueOn, level },
      });
    }
  }
  return jobs;
}
