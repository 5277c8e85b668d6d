/**
 * Personal data never goes into logs. Error messages and stacks of unexpected failures are the one place where a
 * value from a request can slip into a log line, so they pass through here first. The patterns are deliberately
 * broad: a masked harmless token costs nothing, a logged citizen ID is an incident.
 */

const EDGE_BEFORE = '(?<![0-9A-Za-z])';
const EDGE_AFTER = '(?![0-9A-Za-z])';

const PATTERNS: RegExp[] = [
  // Citizen ID (18 characters, last may be X) and the old 15-digit form.
  new RegExp(`${EDGE_BEFORE}\\d{17}[\\dXx]${EDGE_AFTER}`, 'g'),
  new RegExp(`${EDGE_BEFORE}\\d{15}${EDGE_AFTER}`, 'g'),
  // Unified social credit code: 18 characters from the GB 32100 alphabet (no I, O, S, V, Z).
  new RegExp(`${EDGE_BEFORE}[0-9A-HJ-NP-RTUW-Y]{18}${EDGE_AFTER}`, 'g'),
  // Mainland mobile numbers.
  new RegExp(`${EDGE_BEFORE}1[3-9]\\d{9}${EDGE_AFTER}`, 'g'),
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
];

export const REDACTED = '[redacted]';

export function redactPersonalData(text: string): string {
  let result = text;
  for (const pattern of PATTERNS) result = result.replace(pattern, REDACTED);
  return result;
}

export function containsPersonalData(text: string): boolean {
  return redactPersonalData(text) !== text;
}
