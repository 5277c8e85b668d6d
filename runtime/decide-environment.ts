import type { Calendar } from '../domain/calendar/index.ts';
import { localDate } from '../domain/calendar/index.ts';
import { checkApplicationForm, evaluateConditions, type DataCatalogue } from '../domain/catalogue/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { validateCitizenId, validateCreditCode } from '../domain/identity/index.ts';
import type { DecideEnvironment } from '../workflows/index.ts';

export interface EnvironmentSources {
  calendar(region: string): Calendar;
  dataCatalogue: DataCatalogue;
  timeZone: string;
}

/** Binds the pure deciders to the loaded calendars and catalogue, and to one reading of the clock. */
export function createEnvironmentFactory(sources: EnvironmentSources) {
  // Intl date formatting costs more than a whole decision; the local date changes at most once a minute boundary.
  let memo = { minute: Number.NaN, today: '' };
  const today = (now: Date): string => {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== memo.minute) memo = { minute, today: localDate(now, sources.timeZone) };
    return memo.today;
  };
  return (definition: ServiceDefinition, now: Date): DecideEnvironment => {
    const localToday = today(now);
    return {
      definition,
      calendar: sources.calendar(definition.limits.calendar),
      today: localToday,
      now: now.toISOString(),
      dataItem: (id) => sources.dataCatalogue.get(id),
      evaluateConditions,
      validateForm: (form) => checkApplicationForm(definition, form, localToday),
      validateApplicantId: (id) => (definition.applicantType === 'person' ? validateCitizenId(id) : validateCreditCode(id)),
    };
  };
}

export type EnvironmentFactory = ReturnType<typeof createEnvironmentFactory>;
