/** Instant-approval (秒批) conditions must name evidence this service fetches, with values of the field's type. */
import { isLocalDate } from '../calendar/local-date.ts';
import type { KnownMaterial } from './material-validation.ts';
import { at, describe, expectArray, expectEnum, expectObject, expectString, type Report } from './shape.ts';
import type { ConditionOp, DataField } from './types.ts';

const OPS: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'notExpired'];
const ORDERED: readonly ConditionOp[] = ['gt', 'gte', 'lt', 'lte'];

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

function validateValue(op: ConditionOp, value: unknown, path: string, report: Report, type: DataField['type'] | undefined): void {
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
    const list = expectArray(value, path, report, { nonEmpty: true });
    list?.forEach((v, i) => {
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

/** Reports every problem of `instantApproval`; `materials` are the service's valid materials by id. */
export function validateInstantApproval(raw: unknown, path: string, report: Report, materials: Map<string, KnownMaterial>): void {
  const instant = expectObject(raw, path, report, ['conditions']);
  if (!instant) return;
  const conditionsPath = at(path, 'conditions');
  expectArray(instant.conditions, conditionsPath, report, { nonEmpty: true })?.forEach((entry, i) => {
    const p = at(conditionsPath, i);
    const condition = expectObject(entry, p, report, ['material', 'field', 'op'], ['value']);
    if (!condition) return;
    const materialId = expectString(condition.material, at(p, 'material'), report);
    const field = expectString(condition.field, at(p, 'field'), report);
    const op = expectEnum(condition.op, at(p, 'op'), report, OPS);
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
    validateValue(op, condition.value, at(p, 'value'), report, type);
  });
}
