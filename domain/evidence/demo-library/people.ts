/** Persons and families: adults, marriages between them, and children born to married couples. */
import { DEMO_REGIONS, makeCitizenId, randomCitizenId, type Random } from '../../identity/index.ts';
import { addressIn, ageOn, chance, dateBetween, earlierOf, givenName, laterOf, personName, plusDays, plusYears } from './draw.ts';
import type { DemoPerson } from './types.ts';

export interface Marriage {
  husband: string;
  wife: string;
  registeredOn: string;
  certificateNumber: string;
}

export interface Birth {
  child: string;
  mother: string;
  father: string;
  medicalCertificateNumber: string;
}

export interface Household {
  relation: 'head' | 'spouse' | 'child';
  registeredSince: string;
}

export interface Population {
  persons: DemoPerson[];
  byId: Map<string, DemoPerson>;
  marriages: Marriage[];
  /** Adults who divorced: their registry record shows the divorce date. */
  divorced: Map<string, string>;
  births: Birth[];
  households: Map<string, Household>;
}

function uniqueId(taken: Set<string>, draw: () => string): string {
  for (;;) {
    const id = draw();
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function adultsOf(random: Random, count: number, referenceDate: string, taken: Set<string>): DemoPerson[] {
  const lastYear = Number(referenceDate.slice(0, 4)) - 22;
  const adults: DemoPerson[] = [];
  for (let i = 0; i < count; i += 1) {
    const sex = i % 2 === 0 ? 'male' : 'female';
    const citizenId = uniqueId(taken, () => randomCitizenId(random, { bornFrom: 1956, bornTo: lastYear, sex }));
    // Most people live where they were first registered; some moved and registered elsewhere.
    const region = chance(random, 0.7) ? citizenId.slice(0, 6) : random.pick(DEMO_REGIONS);
    const birthDate = `${citizenId.slice(6, 10)}-${citizenId.slice(10, 12)}-${citizenId.slice(12, 14)}`;
    adults.push({ citizenId, name: personName(random, sex), sex, birthDate, region, address: addressIn(random, region) });
  }
  return adults;
}

function marry(random: Random, adults: DemoPerson[], referenceDate: string, households: Map<string, Household>): Marriage[] {
  const men = adults.filter((p) => p.sex === 'male');
  const women = adults.filter((p) => p.sex === 'female');
  const marriages: Marriage[] = [];
  const couples = Math.floor(Math.min(men.length, women.length) * 0.7);
  for (let i = 0; i < couples; i += 1) {
    const husband = men[i] as DemoPerson;
    const wife = women[(i * 7 + 3) % women.length] as DemoPerson;
    if (households.has(wife.citizenId)) continue;
    const from = laterOf(plusYears(husband.birthDate, 22), plusYears(wife.birthDate, 20));
    const to = plusDays(referenceDate, -60);
    if (from > to) continue;
    const registeredOn = dateBetween(random, from, to);
    const certificateNumber = `J${husband.region}-${registeredOn.slice(0, 4)}-${String(random.int(1, 99999)).padStart(6, '0')}`;
    marriages.push({ husband: husband.citizenId, wife: wife.citizenId, registeredOn, certificateNumber });
    // Spouses share the husband's registration; she moved in on the wedding day.
    households.set(husband.citizenId, { relation: 'head', registeredSince: dateBetween(random, plusYears(husband.birthDate, 18), registeredOn) });
    households.set(wife.citizenId, { relation: 'spouse', registeredSince: plusDays(registeredOn, random.int(0, 90)) });
    wife.region = husband.region;
    wife.address = husband.address;
  }
  return marriages;
}

function bearChildren(random: Random, population: Population, referenceDate: string, taken: Set<string>): void {
  for (const marriage of population.marriages) {
    const mother = population.byId.get(marriage.wife) as DemoPerson;
    const father = population.byId.get(marriage.husband) as DemoPerson;
    const from = laterOf(plusDays(marriage.registeredOn, 280), plusYears(mother.birthDate, 20));
    const to = earlierOf(plusDays(referenceDate, -30), plusYears(mother.birthDate, 44));
    if (from > to) continue;
    const count = random.int(1, 2);
    for (let c = 0; c < count; c += 1) {
      const sex = chance(random, 0.5) ? 'male' : 'female';
      const birthDate = dateBetween(random, from, to);
      const citizenId = uniqueId(taken, () => {
        const sequence = random.int(0, 499) * 2 + (sex === 'male' ? 1 : 0);
        return makeCitizenId({ region: father.region, birthDate, sequence });
      });
      const child: DemoPerson = {
        citizenId,
        name: father.name.slice(0, 1) + givenName(random, sex),
        sex,
        birthDate,
        region: father.region,
        address: father.address,
      };
      population.persons.push(child);
      population.byId.set(citizenId, child);
      population.households.set(citizenId, { relation: 'child', registeredSince: plusDays(birthDate, random.int(10, 60)) });
      const letter = String.fromCharCode(65 + random.int(0, 25));
      population.births.push({ child: citizenId, mother: mother.citizenId, father: father.citizenId, medicalCertificateNumber: `${letter}${father.region}${String(random.int(0, 9999)).padStart(4, '0')}${birthDate.slice(2, 4)}` });
    }
  }
}

export function generatePopulation(random: Random, options: { adults: number; referenceDate: string; minimum: number }): Population {
  const taken = new Set<string>();
  const adults = adultsOf(random, options.adults, options.referenceDate, taken);
  const households = new Map<string, Household>();
  const marriages = marry(random, adults, options.referenceDate, households);
  const population: Population = {
    persons: [...adults],
    byId: new Map(adults.map((p) => [p.citizenId, p])),
    marriages,
    divorced: new Map(),
    births: [],
    households,
  };
  bearChildren(random, population, options.referenceDate, taken);
  // Top up with single adults until the library is as large as promised.
  while (population.persons.length < options.minimum) {
    const [extra] = adultsOf(random, 1, options.referenceDate, taken) as [DemoPerson];
    population.persons.push(extra);
    population.byId.set(extra.citizenId, extra);
  }
  const married = new Set(marriages.flatMap((m) => [m.husband, m.wife]));
  for (const person of population.persons) {
    if (!households.has(person.citizenId)) {
      households.set(person.citizenId, { relation: 'head', registeredSince: dateBetween(random, plusYears(person.birthDate, 18), plusDays(options.referenceDate, -1)) });
    }
    if (!married.has(person.citizenId) && ageOn(person.birthDate, options.referenceDate) >= 30 && chance(random, 0.08)) {
      population.divorced.set(person.citizenId, dateBetween(random, plusYears(person.birthDate, 26), plusDays(options.referenceDate, -30)));
    }
  }
  return population;
}
