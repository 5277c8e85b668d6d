/** Materials of a service: evidence fetched through data sharing, or uploads by the applicant. */
import type { DataCatalogue } from './data-catalogue.ts';
import { sharingDecision } from './sharing.ts';
import {
  ID_PATTERN,
  ID_PATTERN_NAME,
  at,
  describe,
  expectArray,
  expectBoolean,
  expectEnum,
  expectInteger,
  expectLocalized,
  expectObject,
  expectString,
  expectStringList,
  isRecord,
  type Report,
} from './shape.ts';
import type { DataItem, SubjectType } from './types.ts';

/** What later rules (instant-approval conditions) need to know about each valid material. */
export type KnownMaterial = { kind: 'upload' } | { kind: 'evidence'; item: DataItem | undefined; fields: string[] };

export interface MaterialContext {
  serviceId: string | undefined;
  department: string | undefined;
  applicantType: SubjectType | undefined;
  data: DataCatalogue;
}

const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;
/** Uploads go through the gateway and into the case file; 50 MiB keeps one application within a sane request. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const article = (subject: SubjectType): string => (subject === 'enterprise' ? 'an enterprise' : 'a person');

function validateEvidence(material: Record<string, unknown>, path: string, report: Report, ctx: MaterialContext): KnownMaterial {
  const itemId = expectString(material.dataItem, at(path, 'dataItem'), report);
  const item = itemId === undefined ? undefined : ctx.data.get(itemId);
  if (itemId !== undefined && !item) report(at(path, 'dataItem'), `"${itemId}" is not in the data catalogue`);
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
  const fields = expectStringList(material.fields, at(path, 'fields'), report, { nonEmpty: true }) ?? [];
  if (item) {
    const known = new Set(item.fields.map((f) => f.name));
    fields.forEach((field, i) => {
      if (!known.has(field)) report(at(at(path, 'fields'), i), `"${field}" is not a field of data item "${item.id}"`);
    });
  }
  expectBoolean(material.requiresExplicitRequest, at(path, 'requiresExplicitRequest'), report);
  expectBoolean(material.requiresPreview, at(path, 'requiresPreview'), report);
  return { kind: 'evidence', item, fields };
}

function validateUpload(material: Record<string, unknown>, path: string, report: Report): KnownMaterial {
  expectStringList(material.mediaTypes, at(path, 'mediaTypes'), report, { nonEmpty: true })?.forEach((type, i) => {
    if (!MEDIA_TYPE.test(type)) report(at(at(path, 'mediaTypes'), i), `"${type}" is not a media type such as "image/jpeg"`);
  });
  expectInteger(material.maxBytes, at(path, 'maxBytes'), report, 1, MAX_UPLOAD_BYTES);
  return { kind: 'upload' };
}

/** Reports every problem of `materials` and returns the materials later rules may refer to, by id. */
export function validateMaterials(raw: unknown, path: string, report: Report, ctx: MaterialContext): Map<string, KnownMaterial> {
  const known = new Map<string, KnownMaterial>();
  const seen = new Set<string>();
  expectArray(raw, path, report)?.forEach((entry, i) => {
    const p = at(path, i);
    if (!isRecord(entry)) {
      report(p, `must be an object, got ${describe(entry)}`);
      return;
    }
    const kind = expectEnum(entry.kind, at(p, 'kind'), report, ['evidence', 'upload'] as const);
    if (entry.kind === undefined) report(at(p, 'kind'), 'is missing');
    if (!kind) return;
    const own = kind === 'evidence' ? ['dataItem', 'fields'] : ['mediaTypes', 'maxBytes'];
    const optional = kind === 'evidence' ? ['requiresExplicitRequest', 'requiresPreview'] : [];
    const material = expectObject(entry, p, report, ['id', 'kind', 'name', 'key', ...own], optional);
    if (!material) return;
    const id = expectString(material.id, at(p, 'id'), report, { pattern: ID_PATTERN, patternName: ID_PATTERN_NAME });
    if (id !== undefined && seen.has(id)) report(at(p, 'id'), `"${id}" is used by an earlier material`);
    expectLocalized(material.name, at(p, 'name'), report);
    expectBoolean(material.key, at(p, 'key'), report);
    const result = kind === 'evidence' ? validateEvidence(material, p, report, ctx) : validateUpload(material, p, report);
    if (id !== undefined && !seen.has(id)) known.set(id, result);
    if (id !== undefined) seen.add(id);
  });
  return known;
}
