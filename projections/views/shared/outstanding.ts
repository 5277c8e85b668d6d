import type { Materials } from './materials.ts';
import { isSettled } from './materials.ts';

export interface OutstandingItem {
  materialId: string;
  /** supplement: listed in the supplement notice; upload: the platform could not fetch it; preview: fetched, awaiting
   * the applicant's look; missing: an upload never made (non-key ones may follow acceptance, 容缺受理). */
  reason: 'supplement' | 'upload' | 'preview' | 'missing';
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
): OutstandingItem[] {
  const collecting = status !== null && (COLLECTING.has(status) || (commitmentPending && (status === 'approved' || status === 'certificateIssued')));
  if (!collecting) return [];
  const items: OutstandingItem[] = [];
  const listed = new Set<string>();
  if (status === 'awaitingSupplement') {
    for (const item of supplement ?? []) {
      const material = materials[item.materialId];
      if (material && isSettled(material)) continue;
      listed.add(item.materialId);
      items.push({ materialId: item.materialId, reason: 'supplement', key: material?.key ?? true, note: item.note });
    }
  }
  for (const [materialId, m] of Object.entries(materials)) {
    if (listed.has(materialId)) continue;
    if (m.status === 'awaiting_preview') items.push({ materialId, reason: 'preview', key: m.key, note: null });
    else if (m.status === 'upload_required') items.push({ materialId, reason: 'upload', key: m.key, note: m.reason ?? null });
    else if (m.status === 'missing') items.push({ materialId, reason: 'missing', key: m.key, note: null });
  }
  return items;
}
