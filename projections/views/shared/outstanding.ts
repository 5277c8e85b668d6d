import type { Materials } from './materials.ts';
import { isSettled } from './materials.ts';

export interface OutstandingItem {
  materialId: string;
  /** supplement: listed in the supplement notice; upload: the platform could not fetch it; preview: fetched, awaiting
   * the applicant's look; missing: an upload never made (non-key ones may follow acceptance, 容缺受理); followUp: a
   * non-key material owed by a due date since acceptance or approval (note: "due YYYY-MM-DD"). */
  reason: 'supplement' | 'upload' | 'preview' | 'missing' | 'followUp';
  key: boolean;
  /** The clerk's note for supplement items, the fetch failure for uploads. */
  note: string | null;
}

/** Phases in which the applicant may still owe materials. */
const COLLECTING: ReadonlySet<string> = new Set(['draft', 'submitted', 'awaitingSupplement', 'gatheringEvidence', 'review', 'jointReview', 'awaitingRevision', 'suspended']);

/**
 * What the applicant still has to provide. After a decision nothing is owed, except under 告知承诺 where the
 * materials follow the approval until the commitment is verified.
 */
export function outstandingItems(
  status: string | null,
  materials: Materials,
  supplement: Array<{ materialId: string; note: string }> | null,
  commitmentPending: boolean,
  owed: ReadonlyArray<{ materialId: string; dueOn: string }> = [],
): OutstandingItem[] {
  const items: OutstandingItem[] = [];
  const listed = new Set<string>();
  // An obligation outlives the decision: the certificate may be out while the material is still owed.
  for (const o of owed) {
    listed.add(o.materialId);
    items.push({ materialId: o.materialId, reason: 'followUp', key: materials[o.materialId]?.key ?? false, note: `due ${o.dueOn}` });
  }
  const collecting = status !== null && (COLLECTING.has(status) || (commitmentPending && (status === 'approved' || status === 'certificateIssued')));
  if (!collecting) return items;
  if (status === 'awaitingSupplement') {
    for (const item of supplement ?? []) {
      const material = materials[item.materialId];
      if (material && isSettled(material)) continue;
      listed.add(item.materialId);
      items.push({ materialId: item.materialId, reason: 'supplement', key: material?.key ?? true, note: item.note });
    }
  }
  // Key materials first, then by id; never by the object's key order: a document read back from PostgreSQL (jsonb)
  // has its keys in another order than one built in memory, and a view must not depend on which batch boundaries
  // the runner happened to see.
  const ordered = Object.entries(materials).sort(([a, ma], [b, mb]) => Number(mb.key) - Number(ma.key) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [materialId, m] of ordered) {
    if (listed.has(materialId)) continue;
    if (m.status === 'awaiting_preview') items.push({ materialId, reason: 'preview', key: m.key, note: null });
    else if (m.status === 'upload_required') items.push({ materialId, reason: 'upload', key: m.key, note: m.reason ?? null });
    else if (m.status === 'missing') items.push({ materialId, reason: 'missing', key: m.key, note: null });
  }
  return items;
}
