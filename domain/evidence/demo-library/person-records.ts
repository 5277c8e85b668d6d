/** Records the person-facing departments hold, with exactly the catalogue's field names. */
import type { Random } from '../../identity/index.ts';
import { addressIn, ageOn, chance, dateBetween, digits, plusDays, plusYears, previousMonth, regionInfo } from './draw.ts';
import type { Population } from './people.ts';
import type { DemoPerson, LibraryRecords, LibraryRow } from './types.ts';
import { DEGREES, DIAGNOSES, ETHNICITIES, HOSPITALS, INSTITUTIONS, LOCAL_REGION_PREFIX, MAJORS, OFFENCES } from './vocabulary.ts';

function household(population: Population, person: DemoPerson, random: Random): LibraryRow {
  const registration = population.households.get(person.citizenId);
  return {
    citizenId: person.citizenId,
    name: person.name,
    sex: person.sex,
    birthDate: person.birthDate,
    ethnicity: random.pick(ETHNICITIES),
    address: person.address,
    registrationRegion: person.region,
    householdHeadRelation: registration?.relation ?? 'head',
    registeredSince: registration?.registeredSince ?? person.birthDate,
  };
}

function marriageRows(population: Population, adults: DemoPerson[]): LibraryRow[] {
  const rows: LibraryRow[] = [];
  const bySpouse = new Map<string, { spouse: string; registeredOn: string; certificateNumber: string }>();
  for (const m of population.marriages) {
    bySpouse.set(m.husband, { spouse: m.wife, registeredOn: m.registeredOn, certificateNumber: m.certificateNumber });
    bySpouse.set(m.wife, { spouse: m.husband, registeredOn: m.registeredOn, certificateNumber: m.certificateNumber });
  }
  for (const person of adults) {
    const marriage = bySpouse.get(person.citizenId);
    const divorcedOn = population.divorced.get(person.citizenId);
    const spouse = marriage ? population.byId.get(marriage.spouse) : undefined;
    rows.push({
      citizenId: person.citizenId,
      maritalStatus: marriage ? 'married' : divorcedOn ? 'divorced' : 'unmarried',
      spouseCitizenId: spouse?.citizenId ?? null,
      spouseName: spouse?.name ?? null,
      registeredOn: marriage?.registeredOn ?? divorcedOn ?? null,
      certificateNumber: marriage?.certificateNumber ?? null,
    });
  }
  return rows;
}

function birthRows(population: Population, random: Random): LibraryRow[] {
  return population.births.map((birth) => {
    const child = population.byId.get(birth.child) as DemoPerson;
    const info = regionInfo(child.region);
    return {
      medicalCertificateNumber: birth.medicalCertificateNumber,
      childName: child.name,
      childSex: child.sex,
      birthDate: child.birthDate,
      birthPlace: `${info.province === info.city ? '' : info.province}${info.city}${info.district}`,
      hospital: `${info.city}${random.pick(HOSPITALS)}`,
      motherCitizenId: birth.mother,
      fatherCitizenId: birth.father,
    };
  });
}

function propertyRow(person: DemoPerson, random: Random, referenceDate: string): LibraryRow {
  const roll = random.next();
  const owned = ageOn(person.birthDate, referenceDate) < 24 ? 0 : roll < 0.55 ? 1 : roll < 0.67 ? 2 : roll < 0.7 ? 3 : 0;
  if (owned === 0) {
    return { citizenId: person.citizenId, propertiesOwned: 0, certificateNumber: null, address: null, floorArea: null, use: 'none', registeredOn: null };
  }
  const registeredOn = dateBetween(random, plusYears(person.birthDate, 23), plusDays(referenceDate, -10));
  const info = regionInfo(person.region);
  return {
    citizenId: person.citizenId,
    propertiesOwned: owned,
    certificateNumber: `${info.short}(${registeredOn.slice(0, 4)})${info.city}不动产权第${digits(random, 7)}号`,
    address: chance(random, 0.7) ? person.address : addressIn(random, person.region),
    floorArea: random.int(4500, 18000) / 100,
    use: chance(random, 0.92) ? 'residential' : 'commercial',
    registeredOn,
  };
}

export function socialInsuranceRow(person: DemoPerson, random: Random, referenceDate: string, employers: string[]): LibraryRow {
  const age = ageOn(person.birthDate, referenceDate);
  const working = Math.max(1, Math.min(age - 22, 38) * 12);
  const monthsContributed = random.int(Math.min(6, working), working);
  const status = age >= 60 ? 'terminated' : chance(random, 0.9) ? 'active' : 'suspended';
  return {
    citizenId: person.citizenId,
    name: person.name,
    insuredStatus: status,
    insuredRegion: chance(random, 0.8) ? person.region : person.citizenId.slice(0, 6),
    monthsContributed,
    monthsContributedLocally: random.int(0, monthsContributed),
    lastContributionMonth: status === 'active' ? previousMonth(referenceDate) : previousMonth(plusDays(referenceDate, -random.int(60, 900))),
    employerName: random.pick(employers),
    pensionInsured: true,
    medicalInsured: chance(random, 0.97),
  };
}

const GRADUATION_AGE = { secondary: 18, college: 21, bachelor: 22, master: 25, doctorate: 28 } as const;

/** Highest degree; only levels the person is old enough to have finished by the reference date. */
export function educationRow(person: DemoPerson, random: Random, referenceDate: string): LibraryRow {
  const age = ageOn(person.birthDate, referenceDate);
  const levels = (['secondary', 'college', 'bachelor', 'bachelor', 'bachelor', 'master', 'doctorate'] as const).filter((l) => GRADUATION_AGE[l] < age);
  const level = levels.length ? random.pick(levels) : 'secondary';
  const years = GRADUATION_AGE[level];
  return {
    citizenId: person.citizenId,
    level,
    degree: DEGREES[level] ?? null,
    major: level === 'secondary' ? null : random.pick(MAJORS),
    institution: level === 'secondary' ? `${regionInfo(person.region).city}第${random.int(1, 40)}中学` : random.pick(INSTITUTIONS),
    graduatedOn: `${Number(person.birthDate.slice(0, 4)) + years}-07-01`,
    certificateNumber: `${digits(random, 5)}${Number(person.birthDate.slice(0, 4)) + years}${digits(random, 7)}`,
  };
}

function housingSecurityRow(person: DemoPerson, random: Random): LibraryRow {
  const receiving = chance(random, 0.08);
  return {
    citizenId: person.citizenId,
    receivingBenefit: receiving,
    benefitType: receiving ? random.pick(['public-rental', 'rent-subsidy', 'affordable-purchase']) : 'none',
  };
}

function criminalRow(person: DemoPerson, random: Random): LibraryRow {
  const hasRecord = chance(random, 0.02);
  return { citizenId: person.citizenId, hasRecord, offences: hasRecord ? random.pick(OFFENCES) : null };
}

export function residencePermitRow(person: DemoPerson, random: Random, referenceDate: string): LibraryRow {
  const issuedOn = dateBetween(random, plusDays(referenceDate, -700), plusDays(referenceDate, -5));
  return {
    certificateNumber: `JZZ${LOCAL_REGION_PREFIX}${issuedOn.slice(0, 4)}${digits(random, 8)}`,
    holderCitizenId: person.citizenId,
    holderName: person.name,
    residenceAddress: addressIn(random, random.pick(['440305', '440304', '440303'])),
    issuedOn,
    validUntil: plusYears(issuedOn, 3),
  };
}

export function personRecords(random: Random, population: Population, employers: string[], referenceDate: string): LibraryRecords {
  const adults = population.persons.filter((p) => ageOn(p.birthDate, referenceDate) >= 18);
  const records: LibraryRecords = {
    'household-registration': population.persons.map((p) => household(population, p, random)),
    'marriage-record': marriageRows(population, adults),
    'birth-record': birthRows(population, random),
    'property-ownership': adults.map((p) => propertyRow(p, random, referenceDate)),
    'social-insurance': adults.filter(() => chance(random, 0.85)).map((p) => socialInsuranceRow(p, random, referenceDate, employers)),
    'education-degree': adults.filter(() => chance(random, 0.7)).map((p) => educationRow(p, random, referenceDate)),
    'housing-security-record': adults.map((p) => housingSecurityRow(p, random)),
    'criminal-record': adults.map((p) => criminalRow(p, random)),
    'medical-record': population.persons
      .filter(() => chance(random, 0.4))
      .map((p) => ({ citizenId: p.citizenId, diagnoses: random.pick(DIAGNOSES), lastVisitOn: dateBetween(random, plusDays(referenceDate, -900), plusDays(referenceDate, -1)) })),
    // Residence permits go to people registered elsewhere who live in the platform's city.
    'errand-residence-permit': adults
      .filter((p) => !p.region.startsWith(LOCAL_REGION_PREFIX) && chance(random, 0.45))
      .map((p) => residencePermitRow(p, random, referenceDate)),
  };
  return records;
}
