/**
 * Instant-approval (秒批) conditions must name evidence this service fetches and one of the fields it requests, with
 * values of that field's type (their shape is the schema's). Ill-shaped conditions are skipped: the schema has
 * reported them.
 */
import { isLocalDate } from '../calendar/index.ts';
import type { KnownMaterial } from './material-validation.ts';
import { at, describe, isRecord, type Report } from './shape.ts';
import type { ConditionOp, DataField } from './types.ts';

const OPS: readonly string[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'notExpired'] satisfies ConditionOp[];
const ORDERED: readonly string[] = ['gt', 'gte', 'lt', 'lte'] satisfies ConditionOp[];

function fitsType(value: unknown, type: DataField['type'] | undefined): boolean {
  switch (type) {
    case undefined:
      return ['string', 'number', 'boolean'].includes(typeof value);
    case 'date':
      return isLocalDate(value);
    default:
      return typeof value === type;
  }
}

function checkValue(op: string, value: unknown, path: string, report: Report, type: DataField['type'] | undefined): void {
  if (op === 'exists' || op === 'notExpired') {
    if (value !== undefined) report(path, `must be absent for op "${op}"`);
    return;
  }
  if (value === undefined) {
    report(path, `is missing: op "${op}" compares with a value`);
    return;
  }
  const expected = type === 'date' ? 'a date YYYY-MM-DD' : (type ?? 'a string, number or boolean');
  if (op === 'in') {
    if (!Array.isArray(value)) report(path, `must be an array, got ${describe(value)}`);
    else if (value.length === 0) report(path, 'must not be empty');
    else value.forEach((v, i) => {
      if (!fitsType(v, type)) report(at(path, i), `must be ${expected} like the field, got ${describe(v)}`);
    });
    return;
  }
  if (ORDERED.includes(op) && (type === 'boolean' || type === 'string')) {
    report(path, `op "${op}" needs a number or date field, and this field is ${type}`);
    return;
  }
  if (!fitsType(value, type)) report(path, `must be ${expected} like the field, got ${describe(value)}`);
}

/** Reports every condition the service's materials refute; `materials` are the service's materials by id. */
export function checkInstantApproval(raw: unknown, path: string, report: Report, materials: Map<string, KnownMaterial>): void {
  const conditions = isRecord(raw) && Array.isArray(raw.conditions) ? raw.conditions : [];
  const conditionsPath = at(path, 'conditions');
  conditions.forEach((entry, i) => {
    if (!isRecord(entry)) return;
    const p = at(conditionsPath, i);
    const materialId = typeof entry.material === 'string' && entry.material.trim() !== '' ? entry.material : undefined;
    const field = typeof entry.field === 'string' && entry.field.trim() !== '' ? entry.field : undefined;
    const op = typeof entry.op === 'string' && OPS.includes(entry.op) ? entry.op : undefined;
    const material = materialId === undefined ? undefined : materials.get(materialId);
    let type: DataField['type'] | undefined;
    if (materialId !== undefined && !material) {
      report(at(p, 'material'), `"${materialId}" is not a material of this service`);
    } else if (material?.kind === 'upload') {
      report(at(p, 'material'), `"${materialId}" is an upload: rules can only read evidence fields`);
    } else if (material && field !== undefined) {
      if (!material.fields.includes(field)) {
        report(at(p, 'field'), `"${field}" is not among the fields material "${materialId}" requests`);
      }
      type = material.item?.fields.find((f) => f.name === field)?.type;
    }
    if (!op) return;
    if (op === 'notExpired' && type !== undefined && type !== 'date') {
      report(at(p, 'op'), `"notExpired" needs a date field, and "${field}" is ${type}`);
    }
    checkValue(op, entry.value, at(p, 'value'), report, type);
  });
}
