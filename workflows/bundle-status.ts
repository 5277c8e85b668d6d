import type { CaseState } from './case-state.ts';

/** What the applicant still owes one member case, read from its folded state. */
export interface OwedItem {
  serviceId: string;
  caseId: string;
  materialId: string;
  /** missing: never uploaded; upload: the platform could not fetch it; preview: fetched, awaiting the applicant's
   * look; supplement: listed in a supplement notice; revision: asked for after a co-reviewer's veto. */
  reason: 'missing' | 'upload' | 'preview' | 'supplement' | 'revision';
  key: boolean;
}

export interface BundleStatus {
  /** draft: nothing submitted; partlySubmitted: some members still drafts; inProgress: all submitted, some open;
   * finished: every member has ended (closed, denied, not accepted, withdrawn, revoked). */
  status: 'draft' | 'partlySubmitted' | 'inProgress' | 'finished';
  services: Array<{ serviceId: string; caseId: string; status: string; revision: string; outstanding: OwedItem[] }>;
  /** Everything owed across all members, in one list. */
  outstanding: OwedItem[];
}

const ENDED = new Set(['closed', 'denied', 'notAccepted', 'withdrawn', 'revoked']);
const DECIDED = new Set(['approved', 'certificateIssued', ...ENDED]);

function owed(state: CaseState): OwedItem[] {
  const { context } = state;
  const base = { serviceId: context.serviceId, caseId: context.caseId };
  if (DECIDED.has(state.status)) return [];
  const items: OwedItem[] = [];
  const listed = new Set<string>();
  const list = (materialId: string, reason: OwedItem['reason']) => {
    if (listed.has(materialId)) return;
    listed.add(materialId);
    items.push({ ...base, materialId, reason, key: context.materials[materialId]?.key ?? true });
  };
  if (state.status === 'awaitingSupplement') {
    for (const id of context.supplement.items) if (context.materials[id]?.status !== 'uploaded') list(id, 'supplement');
  }
  const revision = context.jointReview?.revision;
  if (revision) for (const id of revision.items) if (!revision.uploaded.includes(id)) list(id, 'revision');
  for (const material of Object.values(context.materials)) {
    if (material.status === 'missing' && material.kind === 'upload') list(material.id, 'missing');
    else if (material.status === 'upload_required') list(material.id, 'upload');
    else if (material.status === 'awaiting_preview') list(material.id, 'preview');
  }
  return items;
}

/** One status for a bundle application (一件事), from its member cases' own states: the machine stays the one source. */
export function bundleStatus(members: readonly CaseState[]): BundleStatus {
  const services = members.map((state) => ({
    serviceId: state.context.serviceId,
    caseId: state.context.caseId,
    status: state.status,
    revision: state.revision.toString(),
    outstanding: owed(state),
  }));
  const drafts = members.filter((m) => m.status === 'draft').length;
  const status: BundleStatus['status'] =
    drafts === members.length ? 'draft' : drafts > 0 ? 'partlySubmitted' : members.every((m) => ENDED.has(m.status)) ? 'finished' : 'inProgress';
  return { status, services, outstanding: services.flatMap((s) => s.outstanding) };
}
