/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015) identify enterprises and other organisations:
 * 1 registration authority, 1 category, 6-digit region, 9-character organisation code (GB 11714), 1 check character.
 * The alphabet has 31 symbols: I, O, S, V and Z are left out because they read like 1, 0, 5, U and 2.
 *
 * Hand check of the standard's example 91350100M000100Y43 (values: M=21, Y=30):
 *   values  9 1 3  5  0  1  0  0  21  0  0  0 1  0  0 30  4
 *   weights 1 3 9 27 19 26 16 17  20 29 25 13 8 24 10 30 28
 *   products 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3 -> "3".
 */
import type { Random } from './random.ts';

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('credit code check character needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i] as string);
    if (value < 0) throw new RangeError(`credit code character ${i + 1} "${first17[i]}" is not in the alphabet`);
    sum += value * (WEIGHTS[i] as number);
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] as string;
}

function describeBadChar(ch: string, position: number): string {
  if (/^[a-z]$/.test(ch)) return `credit code character ${position} must be uppercase, got lowercase "${ch}"`;
  if ('IOSVZ'.includes(ch)) return `credit code character ${position} "${ch}" is not allowed (I, O, S, V and Z are never used)`;
  return `credit code character ${position} must be a digit or an uppercase letter other than I, O, S, V, Z, got "${ch}"`;
}

/** null when valid; otherwise one English sentence saying exactly what is wrong. */
export function validateCreditCode(code: string): string | null {
  if (typeof code !== 'string') return `credit code must be a string, got ${code === null ? 'null' : typeof code}`;
  if (code.length !== 18) return `credit code must be 18 characters, got ${code.length}`;
  for (let i = 0; i < 18; i += 1) {
    const ch = code[i] as string;
    if (!CREDIT_CODE_ALPHABET.includes(ch)) return describeBadChar(ch, i + 1);
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return `credit code region (characters 3-8) must be 6 digits, got "${code.slice(2, 8)}"`;
  const expected = creditCodeCheckChar(code.slice(0, 17));
  const got = code[17] as string;
  if (got !== expected) return `credit code check character is wrong: expected "${expected}", got "${got}"`;
  return null;
}

export function isValidCreditCode(code: string): boolean {
  return validateCreditCode(code) === null;
}

export interface CreditCodeParts {
  /** e.g. '9' market regulation (工商), '5' civil affairs, '1' institutional staffing. */
  registrationAuthority: string;
  /** e.g. '1' enterprise, '2' individual business, '3' farmers' cooperative (under authority '9'). */
  category: string;
  /** 6-digit administrative division code. */
  region: string;
  /** 9-character organisation code (GB 11714), from the credit code alphabet. */
  organisationCode: string;
}

export function makeCreditCode(parts: CreditCodeParts): string {
  const first17 = `${parts.registrationAuthority}${parts.category}${parts.region}${parts.organisationCode}`;
  if (parts.registrationAuthority.length !== 1 || parts.category.length !== 1) {
    throw new RangeError('registrationAuthority and category must be one character each');
  }
  if (!/^\d{6}$/.test(parts.region)) throw new RangeError(`region must be 6 digits, got "${parts.region}"`);
  if (parts.organisationCode.length !== 9) {
    throw new RangeError(`organisationCode must be 9 characters, got ${parts.organisationCode.length}`);
  }
  for (let i = 0; i < 17; i += 1) {
    const ch = first17[i] as string;
    if (!CREDIT_CODE_ALPHABET.includes(ch)) throw new RangeError(describeBadChar(ch, i + 1));
  }
  return first17 + creditCodeCheckChar(first17);
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** GB 11714 check character of an 8-character organisation code body: 11 - (sum mod 11), 10 -> X, 11 -> 0. */
export function organisationCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError('organisation code body must be 8 digits or uppercase letters');
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += parseInt(body8[i] as string, 36) * (ORG_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export interface RandomCreditCodeOptions {
  regions?: readonly string[];
  registrationAuthority?: string;
  category?: string;
}

/** A valid enterprise credit code (authority 9, category 1 unless told) drawn from a seeded PRNG. */
export function randomCreditCode(random: Random, options: RandomCreditCodeOptions = {}): string {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += String(random.int(0, 9));
  return makeCreditCode({
    registrationAuthority: options.registrationAuthority ?? '9',
    category: options.category ?? '1',
    region: random.pick(options.regions ?? ['440300', '440305', '310000', '310115', '110105', '330100']),
    organisationCode: body + organisationCodeCheckChar(body),
  });
}
