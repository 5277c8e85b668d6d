/**
 * Checks what an applicant typed against the service's form (rules in form-rules.ts). The English messages are for
 * API callers; the issues carry codes the pages translate, so a citizen never reads server English.
 */
import { formIssues, type FormIssue } from './form-rules.ts';
import { describe, isRecord } from './shape.ts';
import type { FormField, ServiceDefinition } from './types.ts';

export interface FormCheck {
  /** One English sentence per problem, naming the field path and label. */
  problems: string[];
  issues: FormIssue[];
}

function sentence(field: FormField | undefined, issue: FormIssue, value: unknown): string {
  switch (issue.code) {
    case 'required': return 'is required';
    case 'unknown': return 'is not a field of this form';
    case 'type':
      if (field?.type === 'number') return `must be a number, got ${describe(value)}`;
      if (field?.type === 'boolean') return `must be true or false, got ${describe(value)}`;
      return `must be text, got ${describe(value)}`;
    case 'date': return `must be a date YYYY-MM-DD, got ${describe(value)}`;
    case 'minLength': return `must be at least ${issue.limit} characters, got ${[...String(value)].length}`;
    case 'maxLength': return `must be at most ${issue.limit} characters, got ${[...String(value)].length}`;
    case 'phone': return 'must be a mobile number (11 digits) or a landline with its area code';
    case 'citizenId': return 'must be a valid 18-character citizen ID number';
    case 'creditCode': return 'must be a valid 18-character unified social credit code';
    case 'option': return `must be one of ${(field?.options ?? []).map((o) => o.value).join(', ')}`;
    case 'integer': return 'must be a whole number';
    case 'minimum': return `must be at least ${issue.limit}`;
    case 'maximum': return `must be at most ${issue.limit}`;
    case 'future': return `must not be in the future (today is ${issue.limit})`;
    case 'past': return `must not be in the past (today is ${issue.limit})`;
    case 'earliest': return `must be on or after ${issue.limit}`;
    case 'latest': return `must be on or before ${issue.limit}`;
  }
}

/** Every problem of the form, with codes; `today` is the local date the form is checked on (YYYY-MM-DD). */
export function checkApplicationForm(def: Pick<ServiceDefinition, 'form'>, form: unknown, today: string): FormCheck {
  if (!isRecord(form)) return { problems: [`form must be an object, got ${describe(form)}`], issues: [] };
  const issues = formIssues(def.form, form, today);
  const problems = issues.map((issue) => {
    const field = def.form.find((f) => f.name === issue.field);
    const name = field ? `form.${field.name} (${field.label.en})` : `form.${issue.field}`;
    return `${name} ${sentence(field, issue, form[issue.field])}`;
  });
  return { problems, issues };
}

/** The English problems only; an empty list means the form is complete. */
export function validateApplicationForm(def: Pick<ServiceDefinition, 'form'>, form: unknown, today: string): string[] {
  return checkApplicationForm(def, form, today).problems;
}
