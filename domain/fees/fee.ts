/**
 * Fees (收费): what a service charges, fixed or computed from the form, and the waivers its definition declares. Pure:
 * the assessment is a function of the definition and the form, so a retried command assesses the same amount.
 * Amounts in events are whole fen (1/100 CNY), never floating yuan, so sums and refunds add up exactly.
 */
import type { FormField, LocalizedText } from '../catalogue/index.ts';

/** A waiver rule: the fee is not charged when the form's `field` answers `equals` (e.g. a low-income household). */
export interface FeeWaiverRule {
  id: string;
  label: LocalizedText;
  field: string;
  equals: string | number | boolean;
}

/** The fee part of a service definition. `amount` and `perUnit.amount` in yuan (two decimals at most). */
export interface FeeDefinition {
  amount: number;
  currency: 'CNY';
  /** Computed from the form: `perUnit.amount` yuan for each unit the number field `perUnit.field` answers. */
  perUnit?: { field: string; amount: number };
  /** The total never exceeds this many yuan. */
  maximum?: number;
  waivers?: FeeWaiverRule[];
  /** 'certificate': the case does not proceed to the certificate until the fee is paid (or waived). */
  payBefore?: 'certificate';
}

export interface FeeLine {
  kind: 'fixed' | 'perUnit' | 'cap';
  /** Fen; a cap line is negative (what the maximum took off). */
  amount: number;
  /** perUnit: the form field and how many units it answered. */
  field?: string;
  units?: number;
}

export interface FeeAssessment {
  /** Fen to pay: 0 when waived or when the service is free. */
  amount: number;
  currency: 'CNY';
  /** What it would have been before a waiver, in fen. */
  gross: number;
  lines: FeeLine[];
  /** The waiver rule that applied, by id; null when none did. */
  waivedBy: string | null;
  payBeforeCertificate: boolean;
}

export const toFen = (yuan: number): number => Math.round(yuan * 100);

/** Whole units a number field answered; anything else (absent, negative, not a number) counts as none. */
function unitsOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** The fee a case owes for this form: fixed part, per-unit part, capped, then waived if a rule matches the form. */
export function assessFee(fee: FeeDefinition, form: Record<string, unknown>): FeeAssessment {
  const lines: FeeLine[] = [];
  const fixed = toFen(fee.amount);
  if (fixed > 0) lines.push({ kind: 'fixed', amount: fixed });
  if (fee.perUnit) {
    const units = unitsOf(form[fee.perUnit.field]);
    const amount = Math.round(units * toFen(fee.perUnit.amount));
    if (amount > 0) lines.push({ kind: 'perUnit', amount, field: fee.perUnit.field, units });
  }
  let gross = lines.reduce((sum, line) => sum + line.amount, 0);
  if (fee.maximum !== undefined && gross > toFen(fee.maximum)) {
    lines.push({ kind: 'cap', amount: toFen(fee.maximum) - gross });
    gross = toFen(fee.maximum);
  }
  const waiver = (fee.waivers ?? []).find((rule) => form[rule.field] === rule.equals) ?? null;
  return {
    amount: waiver ? 0 : gross,
    currency: fee.currency,
    gross,
    lines,
    waivedBy: gross > 0 && waiver ? waiver.id : null,
    payBeforeCertificate: fee.payBefore === 'certificate',
  };
}

/** Cross-field rules the schema cannot say: the fields a fee reads exist in the form, with a type that fits. */
export function feeProblems(fee: FeeDefinition, form: readonly FormField[]): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const field = (name: string) => form.find((f) => f.name === name);
  if (fee.perUnit) {
    const target = field(fee.perUnit.field);
    if (!target) problems.push({ path: 'fee.perUnit.field', message: `"${fee.perUnit.field}" is not a form field` });
    else if (target.type !== 'number') problems.push({ path: 'fee.perUnit.field', message: `"${fee.perUnit.field}" is a ${target.type} field; a per-unit fee counts a number field` });
  }
  const seen = new Set<string>();
  (fee.waivers ?? []).forEach((rule, i) => {
    if (seen.has(rule.id)) problems.push({ path: `fee.waivers[${i}].id`, message: `"${rule.id}" is used by an earlier waiver` });
    seen.add(rule.id);
    const target = field(rule.field);
    if (!target) problems.push({ path: `fee.waivers[${i}].field`, message: `"${rule.field}" is not a form field` });
    else if (typeof rule.equals !== (target.type === 'date' ? 'string' : target.type)) {
      problems.push({ path: `fee.waivers[${i}].equals`, message: `must be a ${target.type} like the field "${rule.field}"` });
    }
  });
  if (fee.payBefore === 'certificate' && fee.amount === 0 && !fee.perUnit) {
    problems.push({ path: 'fee.payBefore', message: 'a free service has nothing to pay before the certificate' });
  }
  return problems;
}
