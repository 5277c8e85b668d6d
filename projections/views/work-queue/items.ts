import { periodEnd, type Calendar } from '../../../domain/calendar/index.ts';
import type { ServiceDefinition } from '../../../domain/catalogue/index.ts';
import type { QueueAction, QueueCase, WorkItem } from './document.ts';

export interface ItemContext {
  definition: ServiceDefinition | undefined;
  calendar: Calendar | undefined;
}

interface Step {
  action: QueueAction;
  waiting: boolean;
  dueOn: string | null;
  dueKind: WorkItem['dueKind'];
}

/** A limit counted from the decision; without the region's calendar it cannot be placed, so it stays open (null). */
function afterDecision(state: QueueCase, days: number | undefined, context: ItemContext): string | null {
  const { definition, calendar } = context;
  if (!state.decidedOn || days === undefined || !definition || !calendar) return null;
  return periodEnd(calendar, state.decidedOn, days, definition.limits.dayKind);
}

function leadStep(state: QueueCase, context: ItemContext): Step | null {
  const promised = state.due?.promised ?? null;
  switch (state.status) {
    case 'submitted':
      return { action: 'intake', waiting: false, dueOn: state.intakeDueOn, dueKind: 'intake' };
    case 'awaitingSupplement':
      return { action: 'awaiting-supplement', waiting: true, dueOn: state.supplementDueOn, dueKind: 'supplement' };
    case 'gatheringEvidence':
      return { action: 'evidence', waiting: true, dueOn: promised, dueKind: 'promised' };
    case 'review':
      return { action: 'review', waiting: false, dueOn: promised, dueKind: 'promised' };
    case 'jointReview': {
      const allIn = state.jointDepartments.every((d) => state.opinionsFrom.includes(d));
      return { action: allIn ? 'decide' : 'awaiting-opinions', waiting: !allIn, dueOn: promised, dueKind: 'promised' };
    }
    case 'awaitingRevision':
      return { action: 'awaiting-revision', waiting: true, dueOn: promised, dueKind: 'promised' };
    case 'suspended':
      return { action: 'suspended', waiting: true, dueOn: promised, dueKind: 'promised' };
    case 'awaitingPayment':
      return { action: 'awaiting-payment', waiting: true, dueOn: null, dueKind: null };
    case 'approved':
      return { action: 'certificate', waiting: false, dueOn: afterDecision(state, context.definition?.limits.certificateDays, context), dueKind: 'certificate' };
    case 'certificateIssued': {
      const owed = Object.values(state.followUps ?? {}).map((f) => f.dueOn).sort();
      if (!state.commitment || state.commitmentVerified) {
        return owed.length ? { action: 'awaiting-follow-up', waiting: true, dueOn: owed[0]!, dueKind: 'followUp' } : null;
      }
      return {
        action: 'verify-commitment', waiting: false, dueOn: afterDecision(state, context.definition?.commitment?.verifyWithinDays, context), dueKind: 'verification',
      };
    }
    default:
      return null;
  }
}

/** The work a case gives each department right now, derived from the bookkeeping document alone. */
export function workItems(state: QueueCase, context: ItemContext): WorkItem[] {
  if (!state.department) return [];
  const due = state.due;
  const card = (level: 'yellow' | 'red') => due !== null && (state.cards.includes(`promised:${due.promised}:${level}`) || state.cards.includes(`statutory:${due.statutory}:${level}`));
  const owed = Object.values(state.followUps ?? {});
  const item = (department: string, role: WorkItem['role'], step: Step): WorkItem => ({
    id: `${department}-${state.caseId}`,
    department,
    role,
    caseId: state.caseId,
    serviceId: state.serviceId,
    serviceVersion: state.serviceVersion,
    status: state.status,
    ...step,
    promisedDueOn: due?.promised ?? null,
    statutoryDueOn: due?.statutory ?? null,
    warning: card('yellow'),
    overdue: card('red'),
    submittedAt: state.submittedAt,
    acceptedOn: state.acceptedOn,
    receiptNo: state.receiptNo,
    note: state.withheld ?? null,
    followUpsOwed: owed.length,
    followUpDueOn: owed.map((f) => f.dueOn).sort()[0] ?? null,
    followUpOverdue: owed.some((f) => f.red),
    heldBy: state.holders?.[department] ?? null,
  });
  const items: WorkItem[] = [];
  const step = leadStep(state, context);
  // Money the provider took after the approval was revoked is the applicant's, and the case records it for a clerk to
  // refund: the department's own next step whatever became of the case (a revoked case has no other, so without this
  // nobody would be shown it), until all of it is refunded. It has no statutory limit; it comes before a complaint
  // (the rare case with both) as the money is held with no basis now and refunding it is one step.
  const refund = (state.refundDue ?? 0) > 0 ? { action: 'refund-due' as const, waiting: false, dueOn: null, dueKind: null } : null;
  // 好差评: answering a low rating is the department's own next step, ahead of anything it is only waiting for.
  const complaint = state.complaint ? { action: 'complaint' as const, waiting: false, dueOn: state.complaint.dueOn, dueKind: 'complaint' as const } : null;
  const own = refund ?? complaint;
  const lead = own && (!step || step.waiting) ? own : step;
  // Neither carries the case's processing cards: those were raised for deadlines of another step.
  if (lead) {
    const cards = lead === complaint ? { warning: false, overdue: state.complaint!.red } : lead === refund ? { warning: false, overdue: false } : {};
    items.push({ ...item(state.department, 'lead', lead), ...cards });
  }
  if (state.status === 'jointReview') {
    for (const department of state.jointDepartments) {
      if (state.opinionsFrom.includes(department) || department === state.department) continue;
      items.push(item(department, 'co-reviewer', { action: 'opinion', waiting: false, dueOn: due?.promised ?? null, dueKind: 'promised' }));
    }
  }
  return items;
}
