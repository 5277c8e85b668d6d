import type { ServiceDefinition } from '../../../domain/catalogue/index.ts';
import type { CaseRecorded } from './events.ts';

/** Same statuses as the workflow's MaterialState (workflows/case-context.ts). */
export type MaterialStatus = 'missing' | 'uploaded' | 'to_fetch' | 'fetching' | 'received' | 'awaiting_preview' | 'upload_required';

/**
 * A material's state, keyed by material id. Flags appear only when set: case views are rewritten on every batch that
 * touches them, and their size is what a rebuild pays for (see docs/benchmarks.md).
 */
export interface MaterialDoc {
  kind: 'evidence' | 'upload';
  key: boolean;
  status: MaterialStatus;
  /** OOTS: fetched only on the applicant's explicit request. */
  explicitRequest?: true;
  /** OOTS: the applicant previews fetched evidence before it is used. */
  preview?: true;
  /** Why the platform could not fetch it, while status is upload_required. */
  reason?: string;
  conflicted?: true;
  /** The file last uploaded for it: what the handling clerk opens (GET /cases/{id}/materials/{materialId}/file). */
  file?: UploadedFile;
}

export interface UploadedFile {
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

export type Materials = Record<string, MaterialDoc>;

export function initialMaterials(definition: ServiceDefinition | undefined): Materials {
  const materials: Materials = {};
  for (const m of definition?.materials ?? []) {
    const doc: MaterialDoc = { kind: m.kind, key: m.key, status: m.kind === 'evidence' ? 'to_fetch' : 'missing' };
    if (m.kind === 'evidence' && m.requiresExplicitRequest === true) doc.explicitRequest = true;
    if (m.kind === 'evidence' && m.requiresPreview === true) doc.preview = true;
    materials[m.id] = doc;
  }
  return materials;
}

type Patch = { status: MaterialStatus; reason?: string; file?: UploadedFile } | { conflicted: true };

function change(materials: Materials, id: string, kind: MaterialDoc['kind'], patch: Patch): Materials {
  // A material the definition does not list (definition missing from the catalogue) is still shown, not dropped.
  const current: MaterialDoc = materials[id] ?? { kind, key: false, status: kind === 'evidence' ? 'to_fetch' : 'missing' };
  const next: MaterialDoc = { ...current, ...patch };
  // A reason explains the status it came with; a new status without one clears it.
  if ('status' in patch && patch.reason === undefined) delete next.reason;
  return { ...materials, [id]: next };
}

/** Mirrors the workflow's evolve() for materials; returns the same object when the event touches none. */
export function materialsAfter(materials: Materials, event: CaseRecorded): Materials {
  switch (event.type) {
    case 'MaterialUploaded': {
      const { materialId, fileName, mediaType, size, sha256 } = event.data;
      return change(materials, materialId, 'upload', { status: 'uploaded', file: { fileName, mediaType, size, sha256, uploadedAt: event.metadata.occurredAt } });
    }
    case 'ApplicationSubmitted': {
      let next = materials;
      for (const [id, m] of Object.entries(materials)) {
        if (m.kind === 'evidence' && m.status === 'to_fetch' && m.explicitRequest && !event.data.explicitRequests.includes(id)) {
          next = change(next, id, 'evidence', { status: 'upload_required', reason: 'applicant chose to upload' });
        }
      }
      return next;
    }
    case 'EvidenceRequested':
      return event.data.items.reduce((acc, item) => change(acc, item.materialId, 'evidence', { status: 'fetching' }), materials);
    case 'EvidenceReceived':
      return change(materials, event.data.materialId, 'evidence', { status: materials[event.data.materialId]?.preview ? 'awaiting_preview' : 'received' });
    case 'EvidenceUnavailable':
      return change(materials, event.data.materialId, 'evidence', { status: 'upload_required', reason: event.data.reason });
    case 'EvidenceConflictFlagged':
      return change(materials, event.data.materialId, 'evidence', { conflicted: true });
    case 'EvidencePreviewConfirmed':
      return change(materials, event.data.materialId, 'evidence', { status: 'received' });
    case 'EvidencePreviewRefused':
      return change(materials, event.data.materialId, 'evidence', { status: 'upload_required', reason: 'applicant refused the preview' });
    default:
      return materials;
  }
}

export function isSettled(material: MaterialDoc): boolean {
  return material.status === 'received' || material.status === 'uploaded';
}
