/**
 * Citizen identity numbers (公民身份号码, GB 11643-1999): 6-digit region code, 8-digit birth date YYYYMMDD,
 * 3-digit sequence (odd for men, even for women), and a check character over the first 17 digits.
 *
 * Hand check of the standard's own example 11010519491231002X:
 *   digits  1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
 *   weights 7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
 *   products 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2; "10X98765432"[2] = "X".
 */
import { isLocalDate, type LocalDate } from '../calendar/index.ts';
import type { Random } from './random.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of a citizen ID. */
export function citizenIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('citizen ID check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

/** null when valid; otherwise one English sentence saying exactly what is wrong. Never echoes the whole ID. */
export function validateCitizenId(id: string): string | null {
  if (typeof id !== 'string') return `citizen ID must be a string, got ${id === null ? 'null' : typeof id}`;
  if (id.length !== 18) return `citizen ID must be 18 characters, got ${id.length}`;
  for (let i = 0; i < 17; i += 1) {
    const ch = id[i] as string;
    if (ch < '0' || ch > '9') return `citizen ID character ${i + 1} must be a digit, got "${ch}"`;
  }
  const last = id[17] as string;
  if (last === 'x') return 'citizen ID check character must be an uppercase "X", got lowercase "x"';
  if (!/^[0-9X]$/.test(last)) return `citizen ID character 18 must be a digit or "X", got "${last}"`;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isLocalDate(birth)) return `citizen ID birth date (characters 7-14) "${id.slice(6, 14)}" is not a real date`;
  const expected = citizenIdCheckChar(id.slice(0, 17));
  if (last !== expected) return `citizen ID check character is wrong: expected "${expected}", got "${last}"`;
  return null;
}

export function isValidCitizenId(id: string): boolean {
  return validateCitizenId(id) === null;
}

function assertValid(id: string): void {
  const problem = validateCitizenId(id);
  if (problem) throw new RangeError(problem);
}

/** Birth date as 'YYYY-MM-DD'. Throws a RangeError with the validation message for an invalid ID. */
export function birthDateOfCitizenId(id: string): LocalDate {
  assertValid(id);
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Sex recorded in the sequence (character 17): odd is male. Throws for an invalid ID. */
export function sexOfCitizenId(id: string): 'male' | 'female' {
  assertValid(id);
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

export interface CitizenIdParts {
  /** 6-digit administrative division code, e.g. '440305' (Nanshan, Shenzhen). */
  region: string;
  birthDate: LocalDate;
  /** 0..999; odd = male, even = female. */
  sequence: number;
}

export function makeCitizenId(parts: CitizenIdParts): string {
  if (!/^\d{6}$/.test(parts.region)) throw new RangeError(`region must be 6 digits, got "${parts.region}"`);
  if (!isLocalDate(parts.birthDate)) throw new RangeError(`birthDate must be a real date YYYY-MM-DD, got "${parts.birthDate}"`);
  if (!Number.isInteger(parts.sequence) || parts.sequence < 0 || parts.sequence > 999) {
    throw new RangeError(`sequence must be an integer 0..999, got ${parts.sequence}`);
  }
  const first17 = `${parts.region}${parts.birthDate.replaceAll('-', '')}${String(parts.sequence).padStart(3, '0')}`;
  if (first17.length !== 17) throw new RangeError(`birthDate year must have 4 digits, got "${parts.birthDate}"`);
  return first17 + citizenIdCheckChar(first17);
}

/** Demo regions: real district codes, so generated IDs look like the ones clerks see. */
export const DEMO_REGIONS = ['440305', '440304', '440303', '310104', '310115', '110105', '330106', '510107'] as const;

export interface RandomCitizenOptions {
  regions?: readonly string[];
  /** Inclusive birth year range; default 1950..2005. */
  bornFrom?: number;
  bornTo?: number;
  sex?: 'male' | 'female';
}

/** A valid citizen ID drawn from a seeded PRNG. */
export function randomCitizenId(random: Random, options: RandomCitizenOptions = {}): string {
  const year = random.int(options.bornFrom ?? 1950, options.bornTo ?? 2005);
  const month = random.int(1, 12);
  // Day 1..28 keeps every month valid without a table; demo data does not need the 29th-31st.
  const day = random.int(1, 28);
  let sequence = random.int(0, 999);
  if (options.sex === 'male' && sequence % 2 === 0) sequence += 1;
  if (options.sex === 'female' && sequence % 2 === 1) sequence -= 1;
  const birthDate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return makeCitizenId({ region: random.pick(options.regions ?? DEMO_REGIONS), birthDate, sequence });
}
