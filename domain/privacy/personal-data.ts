/**
 * Which values of an event are personal data. Pure: the event store's edge (adapters/privacy) seals exactly these
 * values under the data subject's key before append and opens them after read, so the core and the projectors see
 * clear values and the log holds ciphertext. What is personal comes from the catalogues (a form field's or a data
 * item field's `personal` mark) and from the event types themselves (identity numbers, file names, free text).
 * Privacy by default: a form or evidence field the catalogues do not know is treated as personal.
 */

/** What a view shows in place of a personal value whose key was destroyed (crypto-shredded). */
export const ERASED = '[erased]';

export type FieldPath = ReadonlyArray<string | number>;

/** Catalogue knowledge the rules need; unknown services, items or fields answer true (personal). */
export interface PersonalDataMarks {
  formFieldPersonal(service: ServiceRef | null, field: string): boolean;
  evidenceFieldPersonal(dataItem: string, field: string): boolean;
}

export interface ServiceRef {
  serviceId: string;
  serviceVersion: number;
}

export interface EventShape {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { kind: string; id: string } };
}

/** Free text typed by people (notes, reasons, comments): it may name anyone, so it is always personal. */
const FREE_TEXT: Readonly<Record<string, readonly string[]>> = {
  CaseNotAccepted: ['reason'],
  DeadlineExtended: ['reason'],
  CaseSuspended: ['reason'],
  ApprovalRevoked: ['reason'],
  CaseWithdrawn: ['reason'],
  CaseRated: ['comment'],
  OpinionGiven: ['comment'],
  EvidenceUnavailable: ['detail'],
  ErasureRequested: ['reason'],
  ComplaintAnswered: ['response'],
  PaymentRefunded: ['reason'],
  CertificateRevoked: ['reason'],
};

/**
 * The paths (from the event's root: `data` or `metadata`) of every personal value in `event`, in a stable order.
 * `service` is the case's service when known (its form marks apply); null treats every form field as personal.
 */
export function personalPaths(event: EventShape, marks: PersonalDataMarks, service: ServiceRef | null): FieldPath[] {
  const paths: FieldPath[] = [];
  const data = event.data;
  if (event.metadata.actor.kind === 'citizen') paths.push(['metadata', 'actor', 'id']);
  switch (event.type) {
    case 'ApplicationDrafted': {
      paths.push(['data', 'applicant', 'id']);
      const own = { serviceId: String(data.serviceId), serviceVersion: Number(data.serviceVersion) };
      formPaths(data.form, (name) => marks.formFieldPersonal(own, name), paths);
      break;
    }
    case 'DraftUpdated':
      formPaths(data.form, (name) => marks.formFieldPersonal(service, name), paths);
      break;
    case 'MaterialUploaded':
      if (typeof data.fileName === 'string') paths.push(['data', 'fileName']);
      break;
    case 'SupplementRequested':
    case 'RevisionRequested':
      if (Array.isArray(data.items)) data.items.forEach((item, index) => isRecord(item) && 'note' in item && paths.push(['data', 'items', index, 'note']));
      break;
    case 'EvidenceReceived':
      if (isRecord(data.fields)) {
        for (const name of Object.keys(data.fields).sort()) {
          if (marks.evidenceFieldPersonal(String(data.dataItem), name)) paths.push(['data', 'fields', name]);
        }
      }
      // An issue may quote what the source returned ("validUntil expired on 2025-06-30", the date on someone's ID card).
      if (Array.isArray(data.qualityIssues)) data.qualityIssues.forEach((issue, index) => typeof issue === 'string' && paths.push(['data', 'qualityIssues', index]));
      break;
    case 'EvidenceConflictFlagged':
      // The conflicting values came from the sources: the field names stay readable, the values are sealed.
      if (Array.isArray(data.conflicts)) {
        data.conflicts.forEach((conflict, i) => {
          if (isRecord(conflict) && Array.isArray(conflict.values)) conflict.values.forEach((_, j) => paths.push(['data', 'conflicts', i, 'values', j, 'value']));
        });
      }
      break;
    case 'CaseApproved':
    case 'CaseDenied':
    case 'InstantApprovalWithheld':
      // A clerk's reasons are free text; a rule's quote the value it read ("monthsContributed must be at least 1, got 0").
      if (Array.isArray(data.reasons)) data.reasons.forEach((reason, index) => typeof reason === 'string' && paths.push(['data', 'reasons', index]));
      break;
    case 'CertificateIssued':
      paths.push(['data', 'holder', 'id']);
      break;
    case 'DataAccessed':
      paths.push(['data', 'subject', 'id']);
      break;
    default:
      for (const field of FREE_TEXT[event.type] ?? []) if (typeof data[field] === 'string' && data[field] !== '') paths.push(['data', field]);
  }
  return paths.filter((path) => getAt(event, path) !== undefined);
}

function formPaths(form: unknown, personal: (name: string) => boolean, paths: FieldPath[]): void {
  if (!isRecord(form)) return;
  for (const name of Object.keys(form).sort()) if (personal(name)) paths.push(['data', 'form', name]);
}

export function getAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/**
 * A copy of `root` with `valueAt(i)` at `paths[i]`: every object and array on the way to a path is copied once, however
 * many paths pass through it; nothing else is copied, and `root` is left as it was. Paths never run through one
 * another's ends (personal values are leaves).
 */
export function setAll<T>(root: T, paths: readonly FieldPath[], valueAt: (index: number) => unknown): T {
  if (paths.length === 0) return root;
  const top = shallowCopy(root);
  for (let index = 0; index < paths.length; index += 1) {
    const path = paths[index]!;
    let from = root as Record<string | number, unknown>;
    let to = top;
    const last = path.length - 1;
    for (let depth = 0; depth < last; depth += 1) {
      const step = path[depth]!;
      const child = from[step];
      let next = to[step] as Record<string | number, unknown>;
      // Still the original object: no earlier path has copied it yet (sealing runs once per event appended).
      if (next === child) {
        next = shallowCopy(child);
        to[step] = next;
      }
      to = next;
      from = child as Record<string | number, unknown>;
    }
    to[path[last]!] = valueAt(index);
  }
  return top as T;
}

function shallowCopy(node: unknown): Record<string | number, unknown> {
  return (Array.isArray(node) ? node.slice() : { ...(node as object) }) as Record<string | number, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the marks from the catalogues' `personal` flags; anything not found is personal. */
export function catalogueMarks(lookup: {
  formField(service: ServiceRef, name: string): { personal?: boolean } | undefined;
  dataField(dataItem: string, name: string): { personal: boolean } | undefined;
}): PersonalDataMarks {
  return {
    formFieldPersonal: (service, name) => (service ? lookup.formField(service, name)?.personal !== false : true),
    evidenceFieldPersonal: (dataItem, name) => lookup.dataField(dataItem, name)?.personal !== false,
  };
}
