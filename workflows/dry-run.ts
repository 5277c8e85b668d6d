/**
 * A dry run: what a draft service version would have done differently to cases that ran on an earlier version,
 * computed from their events alone (pure: nothing is written, no real case is touched). For each case:
 * - 秒批: whether the draft's instant-approval rule would have approved it when its evidence was complete, on the
 *   evidence the case actually received (doubtful data withholds, as in the live decider), against what happened;
 * - materials the draft asks for that the case never had (key ones would have been a supplement request, non-key
 *   ones a 容缺 follow-up);
 * - due dates from the day of acceptance under the draft's limits, against the case's version's limits;
 * - departments asked: co-reviewers, and providers the evidence would have been fetched from.
 * Both sides of each comparison are computed the same way, so a difference is the draft's doing, not a later
 * calendar or a changed data catalogue.
 */
import { periodEnd, type Calendar } from '../domain/calendar/index.ts';
import { evaluateConditions } from '../domain/catalogue/index.ts';
import type { DataItem, ServiceDefinition } from '../domain/catalogue/index.ts';
import type { RecordedEvent } from '../domain/events/index.ts';
import { doubtsAbout } from './deciders/completion.ts';
import { foldCase } from './fold.ts';

export type CaseDifference =
  | { kind: 'instant-approval'; was: 'approved' | 'withheld' | 'clerk'; would: 'approve' | 'withhold' | 'clerk'; reasons: string[] }
  | { kind: 'missing-materials'; materials: Array<{ materialId: string; key: boolean }> }
  | { kind: 'deadline'; limit: 'statutory' | 'promised'; was: string; would: string }
  | { kind: 'departments'; added: string[]; removed: string[] };

export interface CaseDryRun {
  caseId: string;
  serviceVersion: number;
  draftedAt: string;
  differences: CaseDifference[];
}

export interface DryRunTotals {
  cases: number;
  changed: number;
  /** Cases whose events could not be read under their own version (reported, never guessed). */
  unreadable: number;
  instantApproval: { wouldApprove: number; wouldWithhold: number };
  missingMaterials: number;
  deadlinesMoved: number;
  departmentsChanged: number;
}

export interface DryRunDeps {
  calendar(region: string): Calendar;
  dataItem(id: string): DataItem | undefined;
}

/**
 * Working-day arithmetic walks the calendar day by day (about 150 us a call); cases of one period share their
 * acceptance days, so a run asks the same sums again and again. Calendars are immutable values (a rescan makes a new
 * one), so the answers are kept per calendar object.
 */
const sums = new WeakMap<Calendar, Map<string, string>>();
function dueOn(calendar: Calendar, from: string, days: number, kind: 'working' | 'calendar'): string {
  let memo = sums.get(calendar);
  if (!memo) sums.set(calendar, (memo = new Map()));
  const key = `${from}|${days}|${kind}`;
  let due = memo.get(key);
  if (due === undefined) {
    due = periodEnd(calendar, from, days, kind);
    if (memo.size > 100_000) memo.clear();
    memo.set(key, due);
  }
  return due;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Materials of `definition` the case had: uploaded, or evidence received for the same data item. */
function missingUnder(definition: ServiceDefinition, uploaded: Set<string>, receivedItems: Set<string>): Map<string, boolean> {
  const missing = new Map<string, boolean>();
  for (const material of definition.materials) {
    const had = uploaded.has(material.id) || (material.kind === 'evidence' && receivedItems.has(material.dataItem));
    if (!had) missing.set(material.id, material.key);
  }
  return missing;
}

function departmentsAsked(definition: ServiceDefinition, explicitRequests: Set<string>, deps: DryRunDeps): Set<string> {
  const asked = new Set<string>(definition.coReviewers);
  for (const material of definition.materials) {
    if (material.kind !== 'evidence' || (material.requiresExplicitRequest && !explicitRequests.has(material.id))) continue;
    const provider = deps.dataItem(material.dataItem)?.provider;
    if (provider) asked.add(provider);
  }
  return asked;
}

/** One case's differences under `draft`; `ranOn` is the definition the case ran on. */
export function dryRunCase(events: RecordedEvent[], ranOn: ServiceDefinition, draft: ServiceDefinition, deps: DryRunDeps): CaseDryRun {
  const first = events[0]!;
  const result: CaseDryRun = { caseId: String(first.data.caseId), serviceVersion: ranOn.version, draftedAt: first.metadata.occurredAt, differences: [] };
  let submitted = false;
  let accepted: { acceptedOn: string } | null = null;
  let gatheredOn: string | null = null;
  let was: 'approved' | 'withheld' | 'clerk' = 'clerk';
  const uploaded = new Set<string>();
  const receivedItems = new Set<string>();
  let explicitRequests = new Set<string>();
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'ApplicationSubmitted':
        submitted = true;
        explicitRequests = new Set((data.explicitRequests as string[] | undefined) ?? []);
        break;
      case 'MaterialUploaded':
        uploaded.add(String(data.materialId));
        break;
      case 'EvidenceReceived':
        receivedItems.add(String(data.dataItem));
        break;
      case 'CaseAccepted':
        accepted ??= { acceptedOn: String(data.acceptedOn) };
        break;
      case 'EvidenceGatheringCompleted':
        gatheredOn ??= String(data.completedOn);
        break;
      case 'CaseApproved':
        if (data.by === 'rule') was = 'approved';
        break;
      case 'InstantApprovalWithheld':
        if (was === 'clerk') was = 'withheld';
        break;
    }
  }
  if (!submitted) return result;

  // 秒批, on the evidence as it stood when gathering completed (the fold keeps the last received of each material).
  if (gatheredOn !== null) {
    const rule = draft.coReviewers.length === 0 ? draft.instantApproval : undefined;
    let would: 'approve' | 'withhold' | 'clerk' = 'clerk';
    let reasons: string[] = [];
    if (rule) {
      const context = foldCase(ranOn, events).context;
      const doubts = doubtsAbout(context, rule.conditions.map((c) => c.material), { quoteIssues: false });
      if (doubts.length > 0) {
        would = 'withhold';
        reasons = doubts;
      } else {
        // Kept in the catalogue store and shown to administrators, outside any case: no value the rule read.
        const verdict = evaluateConditions(rule.conditions, context.evidence, gatheredOn, { quoteValues: false });
        would = verdict.passed ? 'approve' : 'withhold';
        reasons = verdict.failures;
      }
    }
    if ((was === 'approved') !== (would === 'approve')) {
      result.differences.push({ kind: 'instant-approval', was, would, reasons });
    }
  }

  const before = missingUnder(ranOn, uploaded, receivedItems);
  const after = missingUnder(draft, uploaded, receivedItems);
  // Missing now and not before, or now key where it was not: a 容缺 follow-up would have been a supplement request.
  const newlyMissing = [...after].filter(([id, key]) => !before.has(id) || (key && !before.get(id))).map(([materialId, key]) => ({ materialId, key }));
  if (newlyMissing.length > 0) result.differences.push({ kind: 'missing-materials', materials: newlyMissing });

  if (accepted) {
    for (const limit of ['statutory', 'promised'] as const) {
      const dueUnder = (def: ServiceDefinition) =>
        dueOn(deps.calendar(def.limits.calendar), accepted.acceptedOn, limit === 'statutory' ? def.limits.statutoryDays : def.limits.promisedDays, def.limits.dayKind);
      const wasDue = dueUnder(ranOn);
      const wouldDue = dueUnder(draft);
      if (wasDue !== wouldDue) result.differences.push({ kind: 'deadline', limit, was: wasDue, would: wouldDue });
    }
    const askedBefore = departmentsAsked(ranOn, explicitRequests, deps);
    const askedAfter = departmentsAsked(draft, explicitRequests, deps);
    const added = sorted([...askedAfter].filter((d) => !askedBefore.has(d)));
    const removed = sorted([...askedBefore].filter((d) => !askedAfter.has(d)));
    if (added.length > 0 || removed.length > 0) result.differences.push({ kind: 'departments', added, removed });
  }
  return result;
}

export function emptyTotals(): DryRunTotals {
  return { cases: 0, changed: 0, unreadable: 0, instantApproval: { wouldApprove: 0, wouldWithhold: 0 }, missingMaterials: 0, deadlinesMoved: 0, departmentsChanged: 0 };
}

/** Adds one case to the totals. */
export function countCase(totals: DryRunTotals, run: CaseDryRun): void {
  totals.cases++;
  if (run.differences.length > 0) totals.changed++;
  const kinds = new Set(run.differences.map((d) => d.kind));
  for (const d of run.differences) {
    if (d.kind === 'instant-approval' && d.would === 'approve') totals.instantApproval.wouldApprove++;
    if (d.kind === 'instant-approval' && d.would !== 'approve' && d.was === 'approved') totals.instantApproval.wouldWithhold++;
  }
  if (kinds.has('missing-materials')) totals.missingMaterials++;
  if (kinds.has('deadline')) totals.deadlinesMoved++;
  if (kinds.has('departments')) totals.departmentsChanged++;
}
