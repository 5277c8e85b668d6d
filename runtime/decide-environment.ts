import type { Calendar } from '../domain/calendar/index.ts';
import { localDate } from '../domain/calendar/index.ts';
import { checkApplicationForm, evaluateConditions, type DataCatalogue } from '../domain/catalogue/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { validateCitizenId, validateCreditCode } from '../domain/identity/index.ts';
import type { DecideEnvironment } from '../workflows/index.ts';
import { randomBytesPooled } from '../adapters/random-bytes.ts';

/** Random bytes each decision gets (a certificate number takes 13 of them). */
const ENTROPY_BYTES = 16;

export interface EnvironmentSources {
  calendar(region: string): Calendar;
  dataCatalogue: DataCatalogue;
  timeZone: string;
  /** Where a decision's random bytes come from: the operating system's CSPRNG unless a test pins them. */
  randomBytes?: (size: number) => Uint8Array;
}

/**
 * Binds the pure deciders to the loaded calendars and catalogue, to one reading of the clock and to fresh random
 * bytes: the edge draws them, the decision records what it made of them, so deciding stays a function of its input.
 */
export function createEnvironmentFactory(sources: EnvironmentSources) {
  // Intl date formatting costs more than a whole decision; the local date changes at most once a minute boundary.
  let memo = { minute: Number.NaN, today: '' };
  const today = (now: Date): string => {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== memo.minute) memo = { minute, today: localDate(now, sources.timeZone) };
    return memo.today;
  };
  const randomBytes = sources.randomBytes ?? randomBytesPooled;
  return (definition: ServiceDefinition, now: Date): DecideEnvironment => {
    const localToday = today(now);
    return {
      definition,
      calendar: sources.calendar(definition.limits.calendar),
      today: localToday,
      now: now.toISOString(),
      entropy: randomBytes(ENTROPY_BYTES),
      dataItem: (id) => sources.dataCatalogue.get(id),
      evaluateConditions,
      validateForm: (form) => checkApplicationForm(definition, form, localToday),
      validateApplicantId: (id) => (definition.applicantType === 'person' ? validateCitizenId(id) : validateCreditCode(id)),
    };
  };
}

export type EnvironmentFactory = ReturnType<typeof createEnvironmentFactory>;
