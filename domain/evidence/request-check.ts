/**
 * Whether a consumer may have what it asks for: the item exists, the subject is of the right kind and well
 * formed, only fields of the item are asked, and the sharing class allows this service or department. Every
 * provider, and every department gateway, runs the same check, so the answer does not depend on the route.
 */
import type { DataCatalogue } from '../catalogue/index.ts';
import { sharingDecision } from '../catalogue/index.ts';
import type { DataItem, SubjectType } from '../catalogue/index.ts';
import { validateCitizenId, validateCreditCode } from '../identity/index.ts';

export interface CheckedRequest {
  dataItem: string;
  subject: { type: SubjectType; id: string };
  fields: string[];
  purpose: { serviceId: string };
  requester: string;
}

export type RefusalKind = 'unknown_item' | 'wrong_provider' | 'bad_subject' | 'bad_fields' | 'not_shared' | 'not_allowed';

export type RequestCheck = { ok: true; item: DataItem } | { ok: false; kind: RefusalKind; reason: string };

function refuse(kind: RefusalKind, reason: string): RequestCheck {
  return { ok: false, kind, reason };
}

export function checkEvidenceRequest(catalogue: Pick<DataCatalogue, 'get'>, request: CheckedRequest, provider?: string): RequestCheck {
  const item = catalogue.get(request.dataItem);
  if (!item) return refuse('unknown_item', `data item "${request.dataItem}" is not in the data catalogue`);
  if (provider !== undefined && item.provider !== provider) {
    return refuse('wrong_provider', `data item "${item.id}" is provided by ${item.provider}, not ${provider}`);
  }
  if (request.subject.type !== item.subjectType) {
    return refuse('bad_subject', `data item "${item.id}" is about a ${item.subjectType}, not a ${request.subject.type}`);
  }
  const idProblem = item.subjectType === 'person' ? validateCitizenId(request.subject.id) : validateCreditCode(request.subject.id);
  if (idProblem) return refuse('bad_subject', `subject: ${idProblem}`);
  if (!Array.isArray(request.fields) || request.fields.length === 0) return refuse('bad_fields', 'ask for at least one field');
  const known = new Set(item.fields.map((f) => f.name));
  const unknown = request.fields.filter((f) => !known.has(f));
  if (unknown.length) return refuse('bad_fields', `data item "${item.id}" has no field(s) ${unknown.map((f) => `"${f}"`).join(', ')}`);
  if (new Set(request.fields).size !== request.fields.length) return refuse('bad_fields', 'a field is asked for twice');
  const sharing = sharingDecision(item, { service: request.purpose.serviceId, department: request.requester });
  if (!sharing.allowed) return refuse(item.sharing === 'not_shared' ? 'not_shared' : 'not_allowed', sharing.reason);
  return { ok: true, item };
}

/** Data minimisation: a copy holding only the requested fields, each present (null when the source has none). */
export function onlyRequested(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = record[field] ?? null;
  return out;
}
