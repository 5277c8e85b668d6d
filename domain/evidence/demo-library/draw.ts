/** Small drawing helpers over the seeded PRNG, so every generator reads the same way and stays reproducible. */
import { fromDayNumber, isLocalDate, toDayNumber } from '../../calendar/index.ts';
import type { Random } from '../../identity/index.ts';
import { FEMALE_GIVEN, MALE_GIVEN, REGIONS, SECOND_GIVEN, SURNAMES } from './vocabulary.ts';

export function chance(random: Random, probability: number): boolean {
  return random.next() < probability;
}

/** A day in [from, to], both inclusive. */
export function dateBetween(random: Random, from: string, to: string): string {
  return fromDayNumber(random.int(toDayNumber(from), toDayNumber(to)));
}

export function plusDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Same day n years later; 29 February becomes 28 February in a common year. */
export function plusYears(date: string, years: number): string {
  const shifted = `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
  const valid: boolean = isLocalDate(shifted);
  return valid ? shifted : `${shifted.slice(0, 8)}28`;
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export function earlierOf(a: string, b: string): string {
  return a < b ? a : b;
}

export function givenName(random: Random, sex: 'male' | 'female'): string {
  const first = random.pick(sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
  return chance(random, 0.6) ? random.pick(SECOND_GIVEN) + first : first;
}

export function personName(random: Random, sex: 'male' | 'female', surname?: string): string {
  return (surname ?? random.pick(SURNAMES)) + givenName(random, sex);
}

export function regionInfo(region: string) {
  const info = REGIONS[region];
  if (!info) throw new RangeError(`no demo address data for region ${region}`);
  return info;
}

/** A street address in the region: province, city, district, street, number, building and flat. */
export function addressIn(random: Random, region: string): string {
  const info = regionInfo(region);
  const province = info.province === info.city ? '' : info.province;
  return `${province}${info.city}${info.district}${random.pick(info.streets)}${random.int(1, 399)}号${random.int(1, 30)}栋${random.int(1, 32)}0${random.int(1, 8)}室`;
}

export function digits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(random.int(0, 9));
  return out;
}

/** Age in whole years on a day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** 'YYYY-MM' of the month before the day's month. */
export function previousMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
