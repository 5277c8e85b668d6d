/**
 * The catalogue's quality rules (required, pattern, notExpired, oneOf) applied to what a provider returned. Rules
 * about fields the case did not ask for are skipped: minimisation means those values are not here to judge.
 * Messages never contain the value itself (it may be personal data), except an expiry date.
 */
import { isLocalDate } from '../calendar/index.ts';
import type { DataItem, QualityRule } from '../catalogue/index.ts';

export interface QualityIssue {
  field: string;
  rule: QualityRule['kind'];
  message: string;
}

function missing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function judge(rule: QualityRule, value: unknown, today: string): string | null {
  switch (rule.kind) {
    case 'required':
      return missing(value) ? 'is required but empty' : null;
    case 'pattern':
      if (missing(value)) return null;
      return new RegExp(rule.pattern).test(String(value)) ? null : 'does not match the expected pattern';
    case 'oneOf':
      if (missing(value)) return null;
      return rule.values.includes(String(value)) ? null : `is not one of ${rule.values.join(', ')}`;
    case 'notExpired':
      if (missing(value)) return null;
      if (!isLocalDate(value)) return 'is not a date, so its expiry cannot be checked';
      return value < today ? `expired on ${value}` : null;
  }
}

/** Issues found in the returned fields; `today` is the local date the check is made on ('YYYY-MM-DD'). */
export function checkQuality(item: DataItem, fields: Record<string, unknown>, today: string): QualityIssue[] {
  const issues: QualityIssue[] = [];
  for (const rule of item.quality ?? []) {
    if (!(rule.field in fields)) continue;
    const problem = judge(rule, fields[rule.field], today);
    if (problem) issues.push({ field: rule.field, rule: rule.kind, message: `${rule.field} ${problem}` });
  }
  return issues;
}
