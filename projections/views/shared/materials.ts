import type { ServiceDefinition } from '../../../domain/catalogue/types.ts';
import type { CaseRecorded } from './events.ts';

/** Same statuses as the workflow's MaterialState (workflows/case-context.ts). */
export type MaterialStatus = 'missing' | 'uploaded' | 'to_fetch' | 'fetching' | 'received' | 'awaiting_preview' | 'upload_required';

export interface MaterialDoc {
  id: string;
  kind: 'evidence' | 'upload';
  key: boolean;
  status: MaterialStatus;
  explicitRequest: boolean;
  preview: boolean;
  /** Why the platform could not fetch it, when status is upload_required. */
  unavailableReason: string | null;
  conflicted: boolean;
}

export type Materials = Record<string, MaterialDoc>;

export function initialMaterials(definition: ServiceDefinition | undefined): Materials {
  const materials: Materials = {};
  for (const m of definition?.materials ?? []) {
    const evidence = m.kind === 'evidence';
    materials[m.id] = {
      id: m.id,
      kind: m.kind,
      key: m.key,
      status: evidence ? 'to_fetch' : 'missing',
      explicitRequest: evidence && m.requiresExplicitRequest === true,
      preview: evidence && m.requiresPreview === true,
      unavailableReason: null,
      conflicted: false,
    };
  }
  return materials;
}

function change(materials: Materials, id: string, kind: MaterialDoc['kind'], patch: Partial<MaterialDoc>): Materials {
  // A material the definition does not list (definition missing from the catalogue) is still shown, not dropped.
  const current: MaterialDoc = materials[id] ?? {
    id, kind, key: false, status: kind === 'evidence' ? 'to_fetch' : 'missing', explicitRequest: false, preview: false, unavailableReason: null, conflicted: false,
  };
  return { ...materials, [id]: { ...current, ...patch } };
}

/** Mirrors the workflow's evolve() for materials; returns the same object when the event touches none. */
export function materialsAfter(materials: Materials, event: CaseRecorded): Materials {
  switch (event.type) {
    case 'MaterialUploaded':
      return change(materials, event.data.materialId, 'upload', { status: 'uploaded', unavailableReason: null });
    case 'ApplicationSubmitted': {
      let next = materials;
      for (const m of Object.values(materials)) {
        if (m.kind === 'evidence' && m.status === 'to_fetch' && m.explicitRequest && !event.data.explicitRequests.includes(m.id)) {
          next = change(next, m.id, 'evidence', { status: 'upload_required', unavailableReason: 'applicant chose to upload' });
        }
      }
      return next;
    }
    case 'EvidenceRequested':
      return event.data.items.reduce((acc, item) => change(acc, item.materialId, 'evidence', { status: 'fetching' }), materials);
    case 'EvidenceReceived': {
      const preview = materials[event.data.materialId]?.preview === true;
      return change(materials, event.data.materialId, 'evidence', { status: preview ? 'awaiting_preview' : 'received', unavailableReason: null });
    }
    case 'EvidenceUnavailable':
      return change(materials, event.data.materialId, 'evidence', { status: 'upload_required', unavailableReason: event.data.reason });
    case 'EvidenceConflictFlagged':
      return change(materials, event.data.materialId, 'evidence', { conflicted: true });
    case 'EvidencePreviewConfirmed':
      return change(materials, event.data.materialId, 'evidence', { status: 'received' });
    case 'EvidencePreviewRefused':
      return change(materials, event.data.materialId, 'evidence', { status: 'upload_required', unavailableReason: 'applicant refused the preview' });
    default:
      return materials;
  }
}

export function isSettled(material: MaterialDoc): boolean {
  return material.status === 'received' || material.status === 'uploaded';
}
