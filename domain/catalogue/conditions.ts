/**
 * Evaluation of instant-approval (秒批) conditions over fetched evidence. Pure: `today` comes from the event that
 * triggers the evaluation, never from the wall clock, so replaying a case gives the same answer.
 * Failures are written into the case record for the clerk who takes over; they are never logged.
 */
import { isLocalDate, type LocalDate } from '../calendar/index.ts';
import { describe } from './shape.ts';
import type { Condition } from './types.ts';

export interface ConditionResult {
  passed: boolean;
  failures: string[];
}

type Scalar = string | number | boolean;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * How a failure names the value the rule read: quoted for the clerk who takes the case over (the case record seals
 * it with the case's key), only by its kind where the text is kept outside the case (a catalogue dry run).
 */
type Quote = (actual: unknown) => string;
const quoted: Quote = (actual) => `, got ${show(actual)}`;
const unquoted: Quote = () => '';
const kindOf = (actual: unknown, quote: Quote) => (quote === quoted ? describe(actual) : Array.isArray(actual) ? 'an array' : actual === null ? 'null' : `a ${typeof actual}`);

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', actual: unknown, expected: unknown, quote: Quote): string | null {
  const comparable =
    (typeof actual === 'number' && typeof expected === 'number') ||
    (isLocalDate(actual) && isLocalDate(expected));
  if (!comparable) return `cannot be compared with ${show(expected)}: got ${kindOf(actual, quote)}`;
  // Dates in YYYY-MM-DD order compare correctly as strings.
  const a = actual as number | string;
  const e = expected as number | string;
  const holds = op === 'gt' ? a > e : op === 'gte' ? a >= e : op === 'lt' ? a < e : a <= e;
  const words = { gt: 'greater than', gte: 'at least', lt: 'less than', lte: 'at most' }[op];
  return holds ? null : `must be ${words} ${show(expected)}${quote(actual)}`;
}

function check(condition: Condition, actual: unknown, today: LocalDate, quote: Quote): string | null {
  const present = actual !== undefined && actual !== null && actual !== '';
  if (condition.op === 'exists') return present ? null : 'must be present, got nothing';
  if (!present) return 'is missing';
  switch (condition.op) {
    case 'eq':
      return actual === condition.value ? null : `must equal ${show(condition.value)}${quote(actual)}`;
    case 'ne':
      return actual !== condition.value ? null : `must not equal ${show(condition.value)}`;
    case 'in': {
      const allowed = (Array.isArray(condition.value) ? condition.value : []) as Scalar[];
      return allowed.includes(actual as Scalar) ? null : `must be one of ${allowed.map(show).join(', ')}${quote(actual)}`;
    }
    case 'notExpired':
      if (!isLocalDate(actual)) return `must be a date YYYY-MM-DD, got ${kindOf(actual, quote)}`;
      // Valid through the day it names: a permit valid until today may still be used today.
      if (actual >= today) return null;
      return quote === quoted ? `expired on ${actual} (today is ${today})` : `expired before ${today}`;
    default:
      return compare(condition.op, actual, condition.value, quote);
  }
}

/**
 * Every condition is checked (no short cut) so the clerk sees all reasons an application was not approved at once.
 * `quoteValues: false` leaves the values read out of the reasons.
 */
export function evaluateConditions(
  conditions: readonly Condition[],
  evidence: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>,
  today: LocalDate,
  options: { quoteValues?: boolean } = {},
): ConditionResult {
  const quote = options.quoteValues === false ? unquoted : quoted;
  if (!isLocalDate(today)) throw new RangeError(`today must be a real date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const failures: string[] = [];
  for (const condition of conditions) {
    const fields = evidence[condition.material];
    if (fields === undefined || fields === null) {
      failures.push(`${condition.material}: evidence is missing`);
      continue;
    }
    const problem = check(condition, fields[condition.field], today, quote);
    if (problem) failures.push(`${condition.material}.${condition.field} ${problem}`);
  }
  return { passed: failures.length === 0, failures };
}
