/**
 * The demo shared data library: >= 1,000 persons with household registrations, marriages and births that refer
 * to each other consistently, >= 200 enterprises led by generated persons, and every other item of the data
 * catalogue. Pure and deterministic: the same seed and reference date give the same library on every machine.
 */
import { createRandom } from '../../identity/index.ts';
import { isLocalDate } from '../../calendar/index.ts';
import { generateEnterprises } from './enterprises.ts';
import { enterpriseRecords } from './enterprise-records.ts';
import { generatePopulation } from './people.ts';
import { personRecords } from './person-records.ts';
import { shapeSubjects } from './subjects.ts';
import { copyRecords } from './table.ts';
import type { DemoLibrary, DemoLibraryOptions, PendingRecord } from './types.ts';

export const DEFAULT_DEMO_SEED = 20_260_301;
export const DEFAULT_REFERENCE_DATE = '2026-11-01';
/** Name of the second source the demo cross-checks against. */
export const DEMO_SECONDARY_SOURCE = 'base-library';
const MINIMUM_PERSONS = 1000;
const MINIMUM_ENTERPRISES = 200;

export function generateDemoLibrary(options: DemoLibraryOptions = {}): DemoLibrary {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
  if (!isLocalDate(referenceDate)) throw new RangeError(`referenceDate must be YYYY-MM-DD, got "${referenceDate}"`);
  const random = createRandom(seed);

  const population = generatePopulation(random, { adults: options.adults ?? 780, referenceDate, minimum: MINIMUM_PERSONS });
  const adults = population.persons.filter((p) => Number(referenceDate.slice(0, 4)) - Number(p.birthDate.slice(0, 4)) >= 23);
  const enterprises = generateEnterprises(random, Math.max(options.enterprises ?? 210, MINIMUM_ENTERPRISES), adults, referenceDate);
  const employers = enterprises.filter((e) => e.entityType === 'company').map((e) => e.enterpriseName);

  const records = {
    ...personRecords(random, population, employers, referenceDate),
    ...enterpriseRecords(random, enterprises, population.byId, referenceDate),
  };
  // The base library copies PSB and AMR; taken before shaping so subjects can make the two disagree on purpose.
  const secondary = copyRecords(records, ['household-registration', 'business-registration']);
  const pending: PendingRecord[] = [];
  const subjects = shapeSubjects({ random, referenceDate, population, enterprises, employers, records, secondary, pending });

  return {
    seed,
    referenceDate,
    persons: population.persons.map((p) => ({ ...p })),
    enterprises: enterprises.map(({ creditCode, enterpriseName, entityType, legalRepresentativeId }) => ({ creditCode, enterpriseName, entityType, legalRepresentativeId })),
    records,
    secondary: { source: DEMO_SECONDARY_SOURCE, records: secondary },
    pending,
    subjects,
  };
}

export function demoSubject(library: DemoLibrary, key: string): DemoLibrary['subjects'][number] {
  const subject = library.subjects.find((s) => s.key === key);
  if (!subject) throw new RangeError(`no demo subject "${key}"; known: ${library.subjects.map((s) => s.key).join(', ')}`);
  return subject;
}
