import { fromDayNumber, toDayNumber } from '../../domain/calendar/index.ts';
import { DEMO_REGIONS, makeCitizenId } from '../../domain/identity/index.ts';
import { SCENARIOS, SCENARIO_NAMES, calendar, playCase, type Append } from '../../test/unit/projection-views-scenarios.ts';

/**
 * Realistic case logs for benches: the workflow's own decide() played through nine paths (approved, supplement
 * expired, contested with suspension and extension, joint review, instant approval, preview refused, commitment,
 * deemed late, withdrawn), each from ten start days. Case n follows template n mod 90 under its own id and applicant.
 */
export interface Template {
  appends: Append[];
  /** Enterprise applicants keep the template's credit code; people get an id of their own per case. */
  person: boolean;
}

export const templates: Template[] = SCENARIO_NAMES.flatMap((name) =>
  Array.from({ length: 10 }, (_, day) => ({
    appends: playCase(name, `template-${name}-${day}`, { startOn: calendar.addDays('2026-03-02', day, 'working') }),
    person: SCENARIOS[name].applicant === 'person',
  })),
);

export function templateOf(n: number): Template {
  return templates[n % templates.length]!;
}

function applicantOf(n: number): string {
  const birthDate = fromDayNumber(toDayNumber('1960-01-01') + (n % 15_000));
  return makeCitizenId({ region: DEMO_REGIONS[n % DEMO_REGIONS.length]!, birthDate, sequence: Math.floor(n / 15_000) % 1000 });
}

/** The template's append `index` as case n makes it: its own stream, command id and applicant. */
export function caseAppend(n: number, template: Template, append: Append, index: number, prefix = 'bench'): Append {
  const caseId = `${prefix}-${n}`;
  const applicant = applicantOf(n);
  const person = template.person;
  return {
    streamId: `case-${caseId}`,
    commandId: `${caseId}-c${index}`,
    at: append.at,
    actor: append.actor.kind === 'citizen' && person ? { kind: 'citizen', id: applicant } : append.actor,
    events: append.events.map((e) => {
      if (e.type !== 'ApplicationDrafted') return e;
      return { type: e.type, data: { ...e.data, caseId, ...(person ? { applicant: { type: 'person', id: applicant } } : {}) } };
    }),
  };
}
