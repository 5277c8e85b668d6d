/**
 * Validation of service definitions (办事指南 as data). The shape is the published JSON Schema's
 * (service-schema.ts); this file adds what a schema cannot say: references to the data catalogue (departments, data
 * items, their fields and sharing), to the service's own materials and fields, and rules across fields. Every
 * message names the service, its version and the field path, e.g.
 * `service "business-licence" v2: materials[1].dataItem "criminal-record" is not shared`, all problems at once, in
 * the order their fields appear in the definition.
 */
import { checkInstantApproval } from './condition-validation.ts';
import type { DataCatalogue } from './data-catalogue.ts';
import { frozenCopy } from './freeze.ts';
import { checkMaterials } from './material-validation.ts';
import type { Validated } from './result.ts';
import { schemaProblems } from './service-schema.ts';
import { at, isRecord, type Report } from './shape.ts';
import type { FormField, ServiceDefinition, SubjectType } from './types.ts';
import { feeProblems, type FeeDefinition } from '../fees/fee.ts';

/** How a service is named in messages: as much of `service "id" vN` as the raw value allows. */
export function serviceLabel(raw: unknown): string {
  if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id === '') return 'service (without id)';
  return Number.isInteger(raw.version) ? `service "${raw.id}" v${String(raw.version)}` : `service "${raw.id}"`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const integer = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

/** Each form constraint keyword and the one field type it applies to. */
const CONSTRAINT_TYPES: ReadonlyArray<[string, string]> = [
  ['minLength', 'string'], ['maxLength', 'string'], ['format', 'string'], ['options', 'string'],
  ['minimum', 'number'], ['maximum', 'number'], ['integer', 'number'],
  ['notFuture', 'date'], ['notPast', 'date'], ['earliest', 'date'], ['latest', 'date'],
];

function checkForm(raw: unknown, report: Report): void {
  if (!Array.isArray(raw)) return;
  const seen = new Set<string>();
  raw.forEach((field, i) => {
    if (!isRecord(field)) return;
    const p = at('form', i);
    const name = text(field.name);
    if (name !== undefined && seen.has(name)) report(at(p, 'name'), `"${name}" is used by an earlier form field`);
    if (name !== undefined) seen.add(name);
    if (typeof field.type === 'string') {
      for (const [key, type] of CONSTRAINT_TYPES) {
        if (field[key] !== undefined && field.type !== type) report(at(p, key), `only applies to ${type} fields, and "${name ?? '?'}" is ${field.type}`);
      }
    }
    const min = field.minLength ?? field.minimum ?? field.earliest;
    const max = field.maxLength ?? field.maximum ?? field.latest;
    if ((typeof min === 'number' || typeof min === 'string') && typeof max === typeof min && (min as number) > (max as number)) {
      report(p, `its lower bound ${String(min)} is above its upper bound ${String(max)}`);
    }
  });
}

function checkLimits(raw: unknown, report: Report): void {
  if (!isRecord(raw)) return;
  const statutory = integer(raw.statutoryDays);
  const promised = integer(raw.promisedDays);
  const warning = integer(raw.warningDays);
  if (statutory !== undefined && promised !== undefined && promised > statutory) {
    report('limits.promisedDays', `${promised} is longer than statutoryDays ${statutory}: a promised limit may only be shorter`);
  }
  if (promised !== undefined && warning !== undefined && warning >= promised) {
    report('limits.warningDays', `${warning} must be less than promisedDays ${promised}, or the warning comes before the case starts`);
  }
}

/** The lead department when it is known. */
function checkDepartments(def: Record<string, unknown>, report: Report, data: DataCatalogue): string | undefined {
  const department = typeof def.department === 'string' && /^[A-Z][A-Z0-9_]*$/.test(def.department) ? def.department : undefined;
  const lead = department !== undefined && data.department(department) ? department : undefined;
  if (department !== undefined && !lead) report('department', `"${department}" is not a known department`);
  if (Array.isArray(def.coReviewers)) {
    def.coReviewers.forEach((code, i) => {
      if (text(code) === undefined) return;
      if (!data.department(code as string)) report(at('coReviewers', i), `"${String(code)}" is not a known department`);
      else if (code === department) report(at('coReviewers', i), `"${String(code)}" is the lead department and cannot also co-review`);
    });
  }
  // Co-reviewers bind (consent required by law) unless listed as advisory; an advisory one must be a co-reviewer.
  if (Array.isArray(def.advisoryCoReviewers)) {
    const coReviewers = Array.isArray(def.coReviewers) ? def.coReviewers : [];
    def.advisoryCoReviewers.forEach((code, i) => {
      if (!coReviewers.includes(code)) report(at('advisoryCoReviewers', i), `"${String(code)}" is not one of the coReviewers`);
    });
  }
  return lead;
}

/** Where a path falls in the definition as written: keys in their order in the document, indexes in theirs. */
function documentOrder(raw: unknown, path: string, objectLevel: boolean): number[] {
  const order: number[] = [];
  let node: unknown = raw;
  const segments = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  segments.forEach((segment, n) => {
    const last = n === segments.length - 1;
    // Missing and unknown fields are reported when their object is, before anything inside it.
    if (last && objectLevel) {
      order.push(-1);
      return;
    }
    if (segment.startsWith('[')) {
      const index = Number(segment.slice(1, -1));
      order.push(index);
      node = Array.isArray(node) ? node[index] : undefined;
    } else {
      const keys = isRecord(node) ? Object.keys(node) : [];
      const index = keys.indexOf(segment);
      order.push(index === -1 ? Number.MAX_SAFE_INTEGER : index);
      node = isRecord(node) ? node[segment] : undefined;
    }
  });
  return order;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Validates an untyped service definition against its schema and the data catalogue. */
export function validateServiceDefinition(raw: unknown, dataCatalogue: DataCatalogue): Validated<ServiceDefinition> {
  const label = serviceLabel(raw);
  const problems = schemaProblems(raw).map((p) => ({ ...p, order: documentOrder(raw, p.path, p.objectLevel) }));
  const shapeOk = problems.length === 0;
  if (isRecord(raw)) {
    const report: Report = (path, message) => problems.push({ path, message, objectLevel: false, order: documentOrder(raw, path, false) });
    const id = typeof raw.id === 'string' && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(raw.id) ? raw.id : undefined;
    const department = checkDepartments(raw, report, dataCatalogue);
    const applicantType = raw.applicantType === 'person' || raw.applicantType === 'enterprise' ? (raw.applicantType as SubjectType) : undefined;
    checkForm(raw.form, report);
    const materials = checkMaterials(raw.materials, 'materials', report, { serviceId: id, department, applicantType, data: dataCatalogue });
    checkLimits(raw.limits, report);
    if (isRecord(raw.fee) && shapeOk) {
      for (const problem of feeProblems(raw.fee as unknown as FeeDefinition, raw.form as FormField[])) report(problem.path, problem.message);
    }
    if (raw.instantApproval !== undefined) {
      checkInstantApproval(raw.instantApproval, 'instantApproval', report, materials);
      if (Array.isArray(raw.coReviewers) && raw.coReviewers.length > 0) {
        report('instantApproval', 'cannot be combined with co-reviewers: a joint review always needs their opinions');
      }
    }
  }
  if (problems.length > 0) {
    // A stable sort: what the schema found about a field comes before what the catalogue says about it.
    const errors = problems.sort((a, b) => compareOrder(a.order, b.order)).map((p) => `${label}: ${p.path} ${p.message}`);
    return { ok: false, errors };
  }
  return { ok: true, value: frozenCopy(raw as ServiceDefinition) };
}
