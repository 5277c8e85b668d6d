/**
 * Materials against the data catalogue (their shape is the schema's): the data item exists, is shared with this
 * service and its department, is about the kind of subject that applies, and has the fields asked for; material ids
 * are distinct. Ill-shaped entries are skipped here, the schema has reported them.
 */
import type { DataCatalogue } from './data-catalogue.ts';
import { at, isRecord, type Report } from './shape.ts';
import { sharingDecision } from './sharing.ts';
import type { DataItem, SubjectType } from './types.ts';

/** What later rules (instant-approval conditions) need to know about each material. */
export type KnownMaterial = { kind: 'upload' } | { kind: 'evidence'; item: DataItem | undefined; fields: string[] };

export interface MaterialContext {
  serviceId: string | undefined;
  department: string | undefined;
  applicantType: SubjectType | undefined;
  data: DataCatalogue;
}

const article = (subject: SubjectType): string => (subject === 'enterprise' ? 'an enterprise' : 'a person');

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function checkEvidence(material: Record<string, unknown>, path: string, report: Report, ctx: MaterialContext): KnownMaterial {
  const itemId = typeof material.dataItem === 'string' ? material.dataItem : undefined;
  const item = itemId === undefined ? undefined : ctx.data.get(itemId);
  if (itemId !== undefined && itemId.trim() !== '' && !item) report(at(path, 'dataItem'), `"${itemId}" is not in the data catalogue`);
  if (item && ctx.serviceId !== undefined && ctx.department !== undefined) {
    const decision = sharingDecision(item, { service: ctx.serviceId, department: ctx.department });
    if (!decision.allowed && item.sharing === 'not_shared') report(at(path, 'dataItem'), `"${item.id}" is not shared`);
    else if (!decision.allowed) {
      report(
        at(path, 'dataItem'),
        `"${item.id}" is shared only with services [${(item.allowedServices ?? []).join(', ')}] and departments ` +
          `[${(item.allowedDepartments ?? []).join(', ')}], not with this service or its department ${ctx.department}`,
      );
    }
  }
  if (item && ctx.applicantType !== undefined && item.subjectType !== ctx.applicantType) {
    report(
      at(path, 'dataItem'),
      `"${item.id}" is about ${article(item.subjectType)} but the applicant is ${article(ctx.applicantType)}: ` +
        "evidence is fetched by the applicant's own identity",
    );
  }
  const fields = strings(material.fields);
  if (item && Array.isArray(material.fields)) {
    const known = new Set(item.fields.map((f) => f.name));
    material.fields.forEach((field, i) => {
      if (typeof field === 'string' && field.trim() !== '' && !known.has(field)) report(at(at(path, 'fields'), i), `"${field}" is not a field of data item "${item.id}"`);
    });
  }
  return { kind: 'evidence', item, fields };
}

/** Reports what the data catalogue refutes and returns the materials later rules may refer to, by id. */
export function checkMaterials(raw: unknown, path: string, report: Report, ctx: MaterialContext): Map<string, KnownMaterial> {
  const known = new Map<string, KnownMaterial>();
  if (!Array.isArray(raw)) return known;
  raw.forEach((entry, i) => {
    if (!isRecord(entry) || (entry.kind !== 'evidence' && entry.kind !== 'upload')) return;
    const p = at(path, i);
    const id = typeof entry.id === 'string' ? entry.id : undefined;
    if (id !== undefined && known.has(id)) {
      report(at(p, 'id'), `"${id}" is used by an earlier material`);
      return;
    }
    const result = entry.kind === 'evidence' ? checkEvidence(entry, p, report, ctx) : { kind: 'upload' as const };
    if (id !== undefined) known.set(id, result);
  });
  return known;
}
