/** Shape rules of departments and data items (数据资源目录). Pure: the caller supplies parsed JSON. */
import type { DataField } from './types.ts';
import {
  DEPARTMENT_CODE_PATTERN,
  ID_PATTERN,
  ID_PATTERN_NAME,
  at,
  describe,
  expectArray,
  expectBoolean,
  expectEnum,
  expectLocalized,
  expectObject,
  expectString,
  expectStringList,
  type Report,
} from './shape.ts';

const FIELD_TYPES = ['string', 'number', 'date', 'boolean'] as const;
const SHARING = ['unconditional', 'conditional', 'not_shared'] as const;
const FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'on_issue'] as const;
const TRUST = ['A', 'B', 'C', 'D'] as const;
const QUALITY_KINDS = ['required', 'pattern', 'notExpired', 'oneOf'] as const;

export function validateDepartment(raw: unknown, path: string, report: Report): void {
  const dept = expectObject(raw, path, report, ['code', 'name']);
  if (!dept) return;
  expectString(dept.code, at(path, 'code'), report, { pattern: DEPARTMENT_CODE_PATTERN, patternName: 'upper-case letters such as "PSB"' });
  expectLocalized(dept.name, at(path, 'name'), report);
}

function validateField(raw: unknown, path: string, report: Report): void {
  const field = expectObject(raw, path, report, ['name', 'type', 'personal', 'label']);
  if (!field) return;
  expectString(field.name, at(path, 'name'), report, { pattern: /^[a-z][A-Za-z0-9]*$/, patternName: 'a camelCase name' });
  expectEnum(field.type, at(path, 'type'), report, FIELD_TYPES);
  expectBoolean(field.personal, at(path, 'personal'), report);
  expectLocalized(field.label, at(path, 'label'), report);
}

function validateQualityRule(raw: unknown, path: string, report: Report, fields: Map<string, DataField['type']>): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    report(path, `must be an object, got ${describe(raw)}`);
    return;
  }
  const kind = expectEnum((raw as Record<string, unknown>).kind, at(path, 'kind'), report, QUALITY_KINDS);
  if (!kind) return;
  const extra = kind === 'pattern' ? ['pattern'] : kind === 'oneOf' ? ['values'] : [];
  const rule = expectObject(raw, path, report, ['kind', 'field', ...extra]);
  if (!rule) return;
  const field = expectString(rule.field, at(path, 'field'), report);
  if (field !== undefined && !fields.has(field)) report(at(path, 'field'), `"${field}" is not a field of this item`);
  if (kind === 'pattern' && typeof rule.pattern === 'string') {
    try {
      new RegExp(rule.pattern);
    } catch {
      report(at(path, 'pattern'), `${JSON.stringify(rule.pattern)} is not a valid regular expression`);
    }
  } else if (kind === 'pattern') {
    expectString(rule.pattern, at(path, 'pattern'), report);
  }
  if (kind === 'oneOf') expectStringList(rule.values, at(path, 'values'), report, { nonEmpty: true });
  if (kind === 'notExpired' && field !== undefined && fields.has(field) && fields.get(field) !== 'date') {
    report(at(path, 'field'), `"${field}" must be a date field for notExpired, it is ${fields.get(field)}`);
  }
}

/** Reports every problem of one data item. `departments` are the known department codes. */
export function validateDataItem(raw: unknown, path: string, report: Report, departments: ReadonlySet<string>): void {
  const item = expectObject(
    raw,
    path,
    report,
    ['id', 'name', 'provider', 'subjectType', 'fields', 'sharing', 'updateFrequency', 'legalBasis', 'trustLevel'],
    ['allowedServices', 'allowedDepartments', 'quality', 'certificateType'],
  );
  if (!item) return;
  expectString(item.id, at(path, 'id'), report, { pattern: ID_PATTERN, patternName: ID_PATTERN_NAME });
  expectLocalized(item.name, at(path, 'name'), report);
  const provider = expectString(item.provider, at(path, 'provider'), report);
  if (provider !== undefined && !departments.has(provider)) report(at(path, 'provider'), `"${provider}" is not a known department`);
  expectEnum(item.subjectType, at(path, 'subjectType'), report, ['person', 'enterprise'] as const);

  const fields = new Map<string, DataField['type']>();
  expectArray(item.fields, at(path, 'fields'), report, { nonEmpty: true })?.forEach((f, i) => {
    validateField(f, at(at(path, 'fields'), i), report);
    const name = (f as Partial<DataField> | null)?.name;
    if (typeof name !== 'string') return;
    if (fields.has(name)) report(at(at(path, 'fields'), i), `name "${name}" is used twice`);
    fields.set(name, (f as DataField).type);
  });

  const sharing = expectEnum(item.sharing, at(path, 'sharing'), report, SHARING);
  const services = expectStringList(item.allowedServices, at(path, 'allowedServices'), report);
  const depts = expectStringList(item.allowedDepartments, at(path, 'allowedDepartments'), report);
  for (const [i, code] of (depts ?? []).entries()) {
    if (!departments.has(code)) report(at(at(path, 'allowedDepartments'), i), `"${code}" is not a known department`);
  }
  if (sharing === 'conditional' && (services?.length ?? 0) + (depts?.length ?? 0) === 0) {
    report(at(path, 'sharing'), 'is conditional but names no allowedServices or allowedDepartments');
  }
  if (sharing !== undefined && sharing !== 'conditional' && (item.allowedServices !== undefined || item.allowedDepartments !== undefined)) {
    report(at(path, 'sharing'), `is ${sharing}: allowedServices and allowedDepartments only apply to conditional sharing`);
  }
  expectEnum(item.updateFrequency, at(path, 'updateFrequency'), report, FREQUENCIES);
  expectString(item.legalBasis, at(path, 'legalBasis'), report);
  expectEnum(item.trustLevel, at(path, 'trustLevel'), report, TRUST);
  const certificateType = expectString(item.certificateType, at(path, 'certificateType'), report, {
    pattern: ID_PATTERN,
    patternName: ID_PATTERN_NAME,
  });
  if (provider === 'ERRAND' && item.certificateType === undefined) {
    report(at(path, 'certificateType'), 'is missing: an item the platform provides must name the certificate type it serves');
  }
  if (provider !== undefined && provider !== 'ERRAND' && certificateType !== undefined) {
    report(at(path, 'certificateType'), `only applies to items provided by ERRAND, not ${provider}`);
  }
  expectArray(item.quality, at(path, 'quality'), report)?.forEach((r, i) =>
    validateQualityRule(r, at(at(path, 'quality'), i), report, fields),
  );
}
