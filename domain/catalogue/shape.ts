/**
 * Small checkers for untyped definitions read from JSON. Each reports "<path> <what is wrong>" and returns the value
 * when it has the right shape, so a validator can keep going and report every problem in one pass: an author fixing
 * a definition should not have to run the loader once per mistake.
 */

export type Report = (path: string, message: string) => void;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** An object with exactly these keys: missing required keys and unknown keys are both reported. */
export function expectObject(
  value: unknown,
  path: string,
  report: Report,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> | undefined {
  // A missing nested object was already reported as missing by its parent.
  if (value === undefined && path !== '') return undefined;
  if (!isRecord(value)) {
    report(path || '(root)', `must be an object, got ${describe(value)}`);
    return undefined;
  }
  for (const key of required) if (!(key in value)) report(at(path, key), 'is missing');
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) report(at(path, key), 'is not a known field');
  }
  return value;
}

export function expectString(
  value: unknown,
  path: string,
  report: Report,
  options: { pattern?: RegExp; patternName?: string; maxLength?: number } = {},
): string | undefined {
  if (value === undefined) return undefined; // reported as missing by expectObject
  if (typeof value !== 'string' || value.trim() === '') {
    report(path, `must be a non-empty string, got ${describe(value)}`);
    return undefined;
  }
  if (options.pattern && !options.pattern.test(value)) {
    report(path, `${JSON.stringify(value)} must be ${options.patternName ?? `of the form ${options.pattern.source}`}`);
    return undefined;
  }
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    report(path, `must be at most ${options.maxLength} characters, got ${value.length}`);
    return undefined;
  }
  return value;
}

export function expectInteger(value: unknown, path: string, report: Report, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    report(path, `must be an integer ${range}, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

export function expectBoolean(value: unknown, path: string, report: Report): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    report(path, `must be true or false, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

export function expectEnum<T extends string>(value: unknown, path: string, report: Report, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    report(path, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  return value as T;
}

export function expectArray(value: unknown, path: string, report: Report, options: { nonEmpty?: boolean } = {}): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    report(path, `must be an array, got ${describe(value)}`);
    return undefined;
  }
  if (options.nonEmpty && value.length === 0) report(path, 'must not be empty');
  return value;
}

/** An array of distinct non-empty strings. */
export function expectStringList(value: unknown, path: string, report: Report, options: { nonEmpty?: boolean } = {}): string[] | undefined {
  const list = expectArray(value, path, report, options);
  if (!list) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  list.forEach((entry, i) => {
    const s = expectString(entry, at(path, i), report);
    if (s === undefined) return;
    if (seen.has(s)) report(at(path, i), `${JSON.stringify(s)} is listed twice`);
    seen.add(s);
    out.push(s);
  });
  return out;
}

export function expectLocalized(value: unknown, path: string, report: Report): void {
  const text = expectObject(value, path, report, ['zh-CN', 'en']);
  if (!text) return;
  expectString(text['zh-CN'], at(path, 'zh-CN'), report);
  expectString(text.en, at(path, 'en'), report);
}

/** Ids are lower-case kebab words: they appear in URLs, stream names and events. */
export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const ID_PATTERN_NAME = 'a lower-case kebab-case id such as "business-licence"';
export const DEPARTMENT_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
