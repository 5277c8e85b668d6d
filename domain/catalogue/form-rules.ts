/**
 * The constraints of one form field, as issue codes the API returns and the pages translate. The page script
 * api/pages/static/js/form-rules.js implements the same rules over the same definition; the unit test
 * test/unit/form-rules.unit.spec.ts runs one table of values through both so they cannot drift apart.
 */
import { isLocalDate } from '../calendar/index.ts';
import { validateCitizenId, validateCreditCode } from '../identity/index.ts';
import type { FormField } from './types.ts';

export type FormIssueCode =
  | 'required'
  | 'type'
  | 'minLength'
  | 'maxLength'
  | 'phone'
  | 'citizenId'
  | 'creditCode'
  | 'option'
  | 'integer'
  | 'minimum'
  | 'maximum'
  | 'date'
  | 'future'
  | 'past'
  | 'earliest'
  | 'latest'
  | 'unknown';

export interface FormIssue {
  field: string;
  code: FormIssueCode;
  /** The bound that was broken (a length, a number, a date), for the message. */
  limit?: number | string;
}

/** A mainland mobile number, or a landline with its area code (an optional hyphen after it). */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function stringIssue(field: FormField, value: string): Omit<FormIssue, 'field'> | null {
  // Counted in characters, not UTF-16 units, so a Chinese name is measured as people count it.
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return { code: 'minLength', limit: field.minLength };
  if (field.maxLength !== undefined && length > field.maxLength) return { code: 'maxLength', limit: field.maxLength };
  if (field.options && !field.options.some((o) => o.value === value)) return { code: 'option' };
  if (field.format === 'phone' && !PHONE.test(value)) return { code: 'phone' };
  if (field.format === 'citizenId' && validateCitizenId(value) !== null) return { code: 'citizenId' };
  if (field.format === 'creditCode' && validateCreditCode(value) !== null) return { code: 'creditCode' };
  return null;
}

function numberIssue(field: FormField, value: number): Omit<FormIssue, 'field'> | null {
  if (field.integer && !Number.isInteger(value)) return { code: 'integer' };
  if (field.minimum !== undefined && value < field.minimum) return { code: 'minimum', limit: field.minimum };
  if (field.maximum !== undefined && value > field.maximum) return { code: 'maximum', limit: field.maximum };
  return null;
}

function dateIssue(field: FormField, value: string, today: string): Omit<FormIssue, 'field'> | null {
  // ISO dates compare correctly as strings.
  if (field.notFuture && value > today) return { code: 'future', limit: today };
  if (field.notPast && value < today) return { code: 'past', limit: today };
  if (field.earliest !== undefined && value < field.earliest) return { code: 'earliest', limit: field.earliest };
  if (field.latest !== undefined && value > field.latest) return { code: 'latest', limit: field.latest };
  return null;
}

/** The first problem of one answered (non-blank) value, or null; `today` is the local date YYYY-MM-DD. */
export function fieldIssue(field: FormField, value: unknown, today: string): FormIssue | null {
  let issue: Omit<FormIssue, 'field'> | null = null;
  switch (field.type) {
    case 'string':
      issue = typeof value === 'string' ? stringIssue(field, value) : { code: 'type' };
      break;
    case 'number':
      issue = typeof value === 'number' && Number.isFinite(value) ? numberIssue(field, value) : { code: 'type' };
      break;
    case 'boolean':
      issue = typeof value === 'boolean' ? null : { code: 'type' };
      break;
    case 'date':
      issue = isLocalDate(value) ? dateIssue(field, value, today) : { code: 'date' };
      break;
  }
  return issue ? { field: field.name, ...issue } : null;
}

/** Every problem of the form, in form order then unknown fields; an empty list means the form is complete. */
export function formIssues(fields: readonly FormField[], form: Record<string, unknown>, today: string): FormIssue[] {
  const issues: FormIssue[] = [];
  for (const field of fields) {
    const value = form[field.name];
    if (isBlank(value)) {
      // Optional fields may come back empty from a web form; only required ones must be filled in.
      if (field.required) issues.push({ field: field.name, code: 'required' });
      continue;
    }
    const issue = fieldIssue(field, value, today);
    if (issue) issues.push(issue);
  }
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(form)) if (!known.has(name)) issues.push({ field: name, code: 'unknown' });
  return issues;
}
