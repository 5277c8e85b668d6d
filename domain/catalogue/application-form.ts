/** Checks what an applicant typed against the service's form. Messages are shown to the applicant, in English. */
import { isLocalDate } from '../calendar/local-date.ts';
import { describe, isRecord } from './shape.ts';
import type { FormField, ServiceDefinition } from './types.ts';

function typeProblem(field: FormField, value: unknown): string | null {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `must be text, got ${describe(value)}`;
      if (field.maxLength !== undefined && [...value].length > field.maxLength) {
        // Counted in characters, not UTF-16 units, so a Chinese name is measured as people count it.
        return `must be at most ${field.maxLength} characters, got ${[...value].length}`;
      }
      return null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a number, got ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${describe(value)}`;
    case 'date':
      return isLocalDate(value) ? null : `must be a date YYYY-MM-DD, got ${describe(value)}`;
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Every problem of the form, in form order then unknown fields; an empty list means the form is complete. */
export function validateApplicationForm(def: Pick<ServiceDefinition, 'form'>, form: unknown): string[] {
  if (!isRecord(form)) return [`form must be an object, got ${describe(form)}`];
  const errors: string[] = [];
  for (const field of def.form) {
    const value = form[field.name];
    if (isBlank(value)) {
      // Optional fields may come back empty from a web form; only required ones must be filled in.
      if (field.required) errors.push(`form.${field.name} (${field.label.en}) is required`);
      continue;
    }
    const problem = typeProblem(field, value);
    if (problem) errors.push(`form.${field.name} (${field.label.en}) ${problem}`);
  }
  const known = new Set(def.form.map((f) => f.name));
  for (const name of Object.keys(form)) if (!known.has(name)) errors.push(`form.${name} is not a field of this form`);
  return errors;
}
