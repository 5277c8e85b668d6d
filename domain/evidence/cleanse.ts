/**
 * Cleansing (数据清洗) of what a department returns, before quality checks, hashing and cross-checks: strings
 * trimmed, dates normalised to YYYY-MM-DD, identity codes and certificate numbers in upper-case half-width form,
 * numbers and booleans given their catalogue type. A value that cannot be read as its type is kept as it came and
 * reported, never guessed.
 */
import { isLocalDate } from '../calendar/index.ts';
import type { DataField, DataItem } from '../catalogue/index.ts';

export interface Cleansed {
  fields: Record<string, unknown>;
  /** Field names whose value changed. */
  changed: string[];
  /** One line per value that could not be read as its catalogue type; never contains the value. */
  problems: string[];
}

/** Codes compare letter by letter: a lower-case "x" check character or a full-width digit is the same code. */
export function isCodeField(name: string): boolean {
  return /(^|[a-z])(citizenId|CitizenId|creditCode|CreditCode|certificateNumber|CertificateNumber)$/.test(name);
}

const DATE_FORMS: RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/,
  /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];

/** 'YYYY-MM-DD' for the common ways departments write a date; a timestamp keeps the date as written. */
export function normaliseDate(raw: string): string | null {
  const text = raw.normalize('NFKC').trim();
  for (const form of DATE_FORMS) {
    const match = form.exec(text);
    if (!match) continue;
    const date = `${match[1]}-${(match[2] as string).padStart(2, '0')}-${(match[3] as string).padStart(2, '0')}`;
    return isLocalDate(date) ? date : null;
  }
  return null;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否']);

type Outcome = { ok: true; value: unknown } | { ok: false };

function cleanseValue(field: DataField, raw: unknown): Outcome {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  // A number or boolean where text is expected is read as its text, then cleansed like any text.
  const value = field.type === 'string' && (typeof raw === 'number' || typeof raw === 'boolean') ? String(raw) : raw;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return { ok: true, value: null };
    switch (field.type) {
      case 'string':
        return { ok: true, value: isCodeField(field.name) ? trimmed.normalize('NFKC').toUpperCase() : trimmed };
      case 'date': {
        const date = normaliseDate(trimmed);
        return date === null ? { ok: false } : { ok: true, value: date };
      }
      case 'number': {
        const n = Number(trimmed.normalize('NFKC').replaceAll(',', ''));
        return Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
      }
      case 'boolean': {
        const word = trimmed.toLowerCase();
        if (TRUE_WORDS.has(word)) return { ok: true, value: true };
        if (FALSE_WORDS.has(word)) return { ok: true, value: false };
        return { ok: false };
      }
    }
  }
  if (field.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false };
  if (field.type === 'boolean') return typeof value === 'boolean' ? { ok: true, value } : value === 1 || value === 0 ? { ok: true, value: value === 1 } : { ok: false };
  return { ok: false };
}

/** Cleanses the fields the item defines; fields it does not define are left untouched. */
export function cleanseFields(item: DataItem, fields: Record<string, unknown>): Cleansed {
  const byName = new Map(item.fields.map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  const changed: string[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const field = byName.get(name);
    if (!field) {
      out[name] = value;
      continue;
    }
    const result = cleanseValue(field, value);
    if (!result.ok) {
      out[name] = value;
      problems.push(`${name}: cannot be read as a ${field.type}`);
      continue;
    }
    out[name] = result.value;
    if (result.value !== value && !(result.value === null && value === undefined)) changed.push(name);
  }
  return { fields: out, changed, problems };
}
