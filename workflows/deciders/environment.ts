import type { Calendar } from '../../domain/calendar/index.ts';
import type { FormCheck } from '../../domain/catalogue/index.ts';
import type { DataItem, ServiceDefinition } from '../../domain/catalogue/index.ts';

/** Everything a decision may depend on besides the case itself; time comes in as a value, never as a clock read. */
export interface DecideEnvironment {
  definition: ServiceDefinition;
  calendar: Calendar;
  /** Local date in the service's time zone, 'YYYY-MM-DD'. */
  today: string;
  /** The instant the command is handled. */
  now: string;
  /**
   * Random bytes drawn for this decision at the edge (at least 16), for what must not be guessable, a certificate's
   * number: whatever the decision makes of them is recorded in its events, so a replay never draws again.
   */
  entropy: Uint8Array;
  dataItem(id: string): DataItem | undefined;
  /** Evaluates instant-approval conditions over received evidence. */
  evaluateConditions(
    conditions: NonNullable<ServiceDefinition['instantApproval']>['conditions'],
    evidence: Record<string, Record<string, unknown>>,
    today: string,
  ): { passed: boolean; failures: string[] };
  /** Validates an application form against the definition: English problems, and issues naming each field. */
  validateForm(form: unknown): FormCheck;
  /** Validates the applicant's identity code for the service's applicant type; null when valid. */
  validateApplicantId(id: string): string | null;
}

/** Working days for statutory limits unless the service's policy says calendar days (e.g. Dutch Awb practice). */
export function dayKind(env: DecideEnvironment): 'working' | 'calendar' {
  return env.definition.limits.dayKind;
}
