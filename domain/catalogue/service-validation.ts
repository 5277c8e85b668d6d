/**
 * Validation of service definitions (办事指南 as data). Every message names the service, its version and the field
 * path, e.g. `service "business-licence" v2: materials[1].dataItem "criminal-record" is not shared`, and all problems
 * are reported at once.
 */
import { validateInstantApproval } from './condition-validation.ts';
import type { DataCatalogue } from './data-catalogue.ts';
import { frozenCopy } from './freeze.ts';
import { validateMaterials } from './material-validation.ts';
import type { Validated } from './result.ts';
import {
  DEPARTMENT_CODE_PATTERN,
  ID_PATTERN,
  ID_PATTERN_NAME,
  at,
  expectArray,
  expectBoolean,
  expectEnum,
  expectInteger,
  expectLocalized,
  expectNumber,
  expectObject,
  expectString,
  expectStringList,
  isRecord,
  type Report,
} from './shape.ts';
import type { ServiceDefinition, SubjectType } from './types.ts';

const FIELD_TYPES = ['string', 'number', 'date', 'boolean'] as const;

/** How a service is named in messages: as much of `service "id" vN` as the raw value allows. */
export function serviceLabel(raw: unknown): string {
  if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id === '') return 'service (without id)';
  return Number.isInteger(raw.version) ? `service "${raw.id}" v${String(raw.version)}` : `service "${raw.id}"`;
}

function validateForm(raw: unknown, path: string, report: Report): void {
  const seen = new Set<string>();
  expectArray(raw, path, report)?.forEach((entry, i) => {
    const p = at(path, i);
    const field = expectObject(entry, p, report, ['name', 'type', 'required', 'label'], ['maxLength']);
    if (!field) return;
    const name = expectString(field.name, at(p, 'name'), report, { pattern: /^[a-z][A-Za-z0-9]*$/, patternName: 'a camelCase name' });
    if (name !== undefined && seen.has(name)) report(at(p, 'name'), `"${name}" is used by an earlier form field`);
    if (name !== undefined) seen.add(name);
    const type = expectEnum(field.type, at(p, 'type'), report, FIELD_TYPES);
    expectBoolean(field.required, at(p, 'required'), report);
    expectLocalized(field.label, at(p, 'label'), report);
    expectInteger(field.maxLength, at(p, 'maxLength'), report, 1, 100_000);
    if (field.maxLength !== undefined && type !== undefined && type !== 'string') {
      report(at(p, 'maxLength'), `only applies to string fields, and "${name ?? '?'}" is ${type}`);
    }
  });
}

function validateLimits(raw: unknown, path: string, report: Report): void {
  const limits = expectObject(raw, path, report, [
    'calendar',
    'dayKind',
    'statutoryDays',
    'promisedDays',
    'warningDays',
    'extensionDays',
    'certificateDays',
    'supplementDays',
  ]);
  if (!limits) return;
  expectString(limits.calendar, at(path, 'calendar'), report, { pattern: /^[A-Z]{2}(-[A-Z0-9]+)?$/, patternName: 'a region calendar id such as "CN"' });
  expectEnum(limits.dayKind, at(path, 'dayKind'), report, ['working', 'calendar'] as const);
  const statutory = expectInteger(limits.statutoryDays, at(path, 'statutoryDays'), report, 1, 366);
  const promised = expectInteger(limits.promisedDays, at(path, 'promisedDays'), report, 1, 366);
  const warning = expectInteger(limits.warningDays, at(path, 'warningDays'), report, 0, 366);
  expectInteger(limits.extensionDays, at(path, 'extensionDays'), report, 0, 366);
  expectInteger(limits.certificateDays, at(path, 'certificateDays'), report, 0, 366);
  expectInteger(limits.supplementDays, at(path, 'supplementDays'), report, 1, 366);
  if (statutory !== undefined && promised !== undefined && promised > statutory) {
    report(at(path, 'promisedDays'), `${promised} is longer than statutoryDays ${statutory}: a promised limit may only be shorter`);
  }
  if (promised !== undefined && warning !== undefined && warning >= promised) {
    report(at(path, 'warningDays'), `${warning} must be less than promisedDays ${promised}, or the warning comes before the case starts`);
  }
}

function validateDepartments(
  def: Record<string, unknown>,
  report: Report,
  data: DataCatalogue,
): { department: string | undefined } {
  const department = expectString(def.department, 'department', report, { pattern: DEPARTMENT_CODE_PATTERN, patternName: 'a department code such as "PSB"' });
  const lead = department !== undefined && data.department(department) ? department : undefined;
  if (department !== undefined && !lead) report('department', `"${department}" is not a known department`);
  const coReviewers = expectStringList(def.coReviewers, 'coReviewers', report);
  coReviewers?.forEach((code, i) => {
    if (!data.department(code)) report(at('coReviewers', i), `"${code}" is not a known department`);
    else if (code === department) report(at('coReviewers', i), `"${code}" is the lead department and cannot also co-review`);
  });
  // Co-reviewers bind (consent required by law) unless listed here as advisory.
  if (def.advisoryCoReviewers !== undefined) {
    expectStringList(def.advisoryCoReviewers, 'advisoryCoReviewers', report)?.forEach((code, i) => {
      if (!coReviewers?.includes(code)) report(at('advisoryCoReviewers', i), `"${code}" is not one of the coReviewers`);
    });
  }
  return { department: lead };
}

/** Validates an untyped service definition against the data catalogue. */
export function validateServiceDefinition(raw: unknown, dataCatalogue: DataCatalogue): Validated<ServiceDefinition> {
  const errors: string[] = [];
  const label = serviceLabel(raw);
  const report: Report = (path, message) => errors.push(`${label}: ${path} ${message}`);
  const def = expectObject(
    raw,
    '',
    report,
    ['id', 'version', 'name', 'legalBasis', 'department', 'coReviewers', 'applicantType', 'form', 'materials', 'limits', 'fee', 'outcome'],
    ['instantApproval', 'commitment', 'advisoryCoReviewers'],
  );
  if (!def) return { ok: false, errors };

  const id = expectString(def.id, 'id', report, { pattern: ID_PATTERN, patternName: ID_PATTERN_NAME });
  expectInteger(def.version, 'version', report, 1);
  expectLocalized(def.name, 'name', report);
  expectString(def.legalBasis, 'legalBasis', report);
  const { department } = validateDepartments(def, report, dataCatalogue);
  const applicantType = expectEnum<SubjectType>(def.applicantType, 'applicantType', report, ['person', 'enterprise']);
  validateForm(def.form, 'form', report);
  const materials = validateMaterials(def.materials, 'materials', report, { serviceId: id, department, applicantType, data: dataCatalogue });
  validateLimits(def.limits, 'limits', report);

  if (def.instantApproval !== undefined) {
    validateInstantApproval(def.instantApproval, 'instantApproval', report, materials);
    if (Array.isArray(def.coReviewers) && def.coReviewers.length > 0) {
      report('instantApproval', 'cannot be combined with co-reviewers: a joint review always needs their opinions');
    }
  }
  if (def.commitment !== undefined) {
    const commitment = expectObject(def.commitment, 'commitment', report, ['verifyWithinDays']);
    if (commitment) expectInteger(commitment.verifyWithinDays, at('commitment', 'verifyWithinDays'), report, 1, 366);
  }
  const fee = expectObject(def.fee, 'fee', report, ['amount', 'currency']);
  if (fee) {
    expectNumber(fee.amount, 'fee.amount', report, 0);
    expectEnum(fee.currency, 'fee.currency', report, ['CNY'] as const);
  }
  const outcome = expectObject(def.outcome, 'outcome', report, ['certificateType', 'name', 'validityMonths']);
  if (outcome) {
    expectString(outcome.certificateType, 'outcome.certificateType', report, { pattern: ID_PATTERN, patternName: ID_PATTERN_NAME });
    expectLocalized(outcome.name, 'outcome.name', report);
    if (outcome.validityMonths !== null) expectInteger(outcome.validityMonths, 'outcome.validityMonths', report, 1, 1200);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: frozenCopy(raw as ServiceDefinition) };
}
